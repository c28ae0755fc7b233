package dev.lamina.cuda;

import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;

import java.nio.charset.StandardCharsets;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

/**
 * Finds out once per JVM whether the CUDA backend can run here, and why not. Loading JCuda's
 * natives happens in static initialisers: the first touch without a driver throws
 * {@code UnsatisfiedLinkError}, every later one {@code NoClassDefFoundError}, so the outcome is
 * computed once and remembered. Nothing here throws.
 */
final class CudaProbe {
    /** JCuda 12.6's natives are built with CUDA 12.0 and the PTX is ISA 8.0: both need a 12.0 driver. */
    static final int MIN_DRIVER_VERSION = 12000;
    /** The PTX targets compute_75 (Turing), the oldest architecture CUDA 13 still compiles for. */
    static final int MIN_CC_MAJOR = 7;
    static final int MIN_CC_MINOR = 5;

    /** The outcome: {@code reason} is null when usable, and {@code device} is null when no device was found. */
    record Result(String reason, DeviceInfo device) {
    }

    private static volatile Result result;

    private CudaProbe() {
    }

    static Result result() {
        Result r = result;
        if (r == null) {
            synchronized (CudaProbe.class) {
                r = result;
                if (r == null) {
                    r = safeProbe();
                    result = r;
                }
            }
        }
        return r;
    }

    private static Result safeProbe() {
        try {
            return probe();
        } catch (LinkageError e) {
            return new Result("no CUDA driver: JCuda's driver binding cannot load (" + NativeLoadFailure.summary(e)
                    + "); install the NVIDIA driver", null);
        } catch (jcuda.CudaException e) {
            return new Result(reasonFor(e.getMessage()), null);
        } catch (RuntimeException e) {
            return new Result("the CUDA probe failed: " + e, null);
        }
    }

    private static Result probe() {
        JCudaDriver.setExceptionsEnabled(true);
        cuInit(0);
        int[] value = new int[1];
        cuDriverGetVersion(value);
        int driver = value[0];
        if (driver < MIN_DRIVER_VERSION) {
            return new Result("the NVIDIA driver is too old: it supports CUDA " + DeviceInfo.versionText(driver)
                    + ", Lamina needs a driver for CUDA 12.0 or newer", null);
        }
        cuDeviceGetCount(value);
        if (value[0] == 0) {
            return new Result("no CUDA device (the driver found no GPU)", null);
        }
        CUdevice device = new CUdevice();
        cuDeviceGet(device, 0);
        DeviceInfo info = describe(device, driver);
        if (info.ccMajor() < MIN_CC_MAJOR || (info.ccMajor() == MIN_CC_MAJOR && info.ccMinor() < MIN_CC_MINOR)) {
            return new Result("the GPU " + info.name() + " has compute capability " + info.ccMajor() + "." + info.ccMinor()
                    + "; Lamina's kernels need 7.5 (Turing) or newer", info);
        }
        String moduleProblem = tryLoadKernels();
        return new Result(moduleProblem, info);
    }

    static DeviceInfo describe(CUdevice device, int driverVersion) {
        byte[] name = new byte[256];
        cuDeviceGetName(name, name.length, device);
        int length = 0;
        while (length < name.length && name[length] != 0) {
            length++;
        }
        int[] value = new int[1];
        cuDeviceGetAttribute(value, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
        int major = value[0];
        cuDeviceGetAttribute(value, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
        int minor = value[0];
        cuDeviceGetAttribute(value, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, device);
        int sms = value[0];
        long[] total = new long[1];
        cuDeviceTotalMem(total, device);
        return new DeviceInfo(new String(name, 0, length, StandardCharsets.UTF_8), major, minor, sms, total[0], driverVersion);
    }

    /**
     * Loads the kernels (once per process, kept for every backend): a driver that cannot JIT the PTX
     * (too old for ISA 8.0) is found here, so {@code auto} does not choose a backend that fails at its first op.
     */
    private static String tryLoadKernels() {
        try {
            PtxModule.get();
            return null;
        } catch (CudaException e) {
            String message = e.getMessage();
            return message.substring(0, 1).toLowerCase(java.util.Locale.ROOT)
                    + (message.endsWith(".") ? message.substring(1, message.length() - 1) : message.substring(1));
        }
    }

    private static String reasonFor(String error) {
        if ("CUDA_ERROR_NO_DEVICE".equals(error)) {
            return "no CUDA device (cuInit: CUDA_ERROR_NO_DEVICE)";
        }
        if ("CUDA_ERROR_INSUFFICIENT_DRIVER".equals(error)) {
            return "the NVIDIA driver is too old for CUDA 12 (cuInit: CUDA_ERROR_INSUFFICIENT_DRIVER)";
        }
        if ("CUDA_ERROR_STUB_LIBRARY".equals(error)) {
            return "libcuda.so.1 is the CUDA toolkit's stub, not a driver (cuInit: CUDA_ERROR_STUB_LIBRARY); install the NVIDIA driver";
        }
        return "the CUDA driver failed to start (" + error + ")";
    }
}
