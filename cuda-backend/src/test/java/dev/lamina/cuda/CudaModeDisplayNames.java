package dev.lamina.cuda;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGenerator;

/**
 * Display names that say where a CUDA test ran: "[emulated, cuBLAS]", "[GPU, own GEMM kernel]" or
 * "[no CUDA: skipped]", so a report never passes off an emulated run as a GPU run.
 */
public final class CudaModeDisplayNames extends DisplayNameGenerator.Standard {
    @Override
    public String generateDisplayNameForClass(Class<?> testClass) {
        return super.generateDisplayNameForClass(testClass) + " [" + CudaTestSupport.mode() + "]";
    }

    @Override
    public String generateDisplayNameForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass, Method testMethod) {
        return super.generateDisplayNameForMethod(enclosingInstanceTypes, testClass, testMethod) + " [" + CudaTestSupport.mode() + "]";
    }
}
