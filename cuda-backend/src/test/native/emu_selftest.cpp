// A native check of the emulated driver, the SGEMM kernels and the cuBLAS stand-in, run by build.sh
// after building them (the Java tests go through JCuda and always pass packed matrices): loads the
// PTX, runs both SGEMM kernels and cuBLAS on odd shapes, both transposes, alpha/beta, padded leading
// dimensions and pointers that are not 16-byte aligned, against a double-precision loop.
// Usage: emu_selftest <lamina.ptx>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" {
int cuInit(unsigned);
int cuDevicePrimaryCtxRetain(void**, int);
int cuCtxSetCurrent(void*);
int cuModuleLoadData(void**, const void*);
int cuModuleGetFunction(void**, void*, const char*);
int cuMemAlloc_v2(unsigned long long*, size_t);
int cuMemFree_v2(unsigned long long);
int cuMemcpyHtoD_v2(unsigned long long, const void*, size_t);
int cuMemcpyDtoH_v2(void*, unsigned long long, size_t);
int cuLaunchKernel(void*, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, void*, void**, void**);
int cuCtxSynchronize();
int cublasCreate_v2(void**);
int cublasSgemm_v2(void*, int, int, int, int, int, const float*, const float*, int, const float*, int,
                   const float*, float*, int);
}

#define CHECK(x)                                                              \
    do {                                                                      \
        int r_ = (x);                                                         \
        if (r_ != 0) {                                                        \
            std::fprintf(stderr, "%s:%d: %s = %d\n", __FILE__, __LINE__, #x, r_); \
            std::exit(1);                                                     \
        }                                                                     \
    } while (0)

static unsigned long long upload(const std::vector<float>& v) {
    unsigned long long p;
    CHECK(cuMemAlloc_v2(&p, v.size() * 4));
    CHECK(cuMemcpyHtoD_v2(p, v.data(), v.size() * 4));
    return p;
}

int main(int argc, char** argv) {
    std::ifstream in(argv[1]);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string ptx = ss.str();
    void* ctx;
    void* mod;
    CHECK(cuInit(0));
    CHECK(cuDevicePrimaryCtxRetain(&ctx, 0));
    CHECK(cuCtxSetCurrent(ctx));
    CHECK(cuModuleLoadData(&mod, ptx.c_str()));
    void* handle;
    CHECK(cublasCreate_v2(&handle));
    std::mt19937 rng(42);
    std::uniform_real_distribution<float> u(-1, 1);
    int shapes[][3] = {{1, 1, 1}, {3, 5, 7}, {17, 1, 33}, {128, 128, 8}, {129, 130, 131}, {64, 200, 3},
                       {1, 300, 5}, {257, 31, 0}, {31, 64, 784}};
    int failures = 0, cases = 0;
    for (auto& s : shapes) {
        int m = s[0], n = s[1], k = s[2];
        for (int ta = 0; ta < 2; ++ta)
            for (int tb = 0; tb < 2; ++tb)
                for (int variant = 0; variant < 16; ++variant) {
                    // impl 0: 128x128 kernel, 1: 64x64 kernel, 2: cuBLAS, 3: 64x64 split-k + reduce;
                    // layout 1: leading dimensions padded by 3 and every pointer one float past a
                    // 16-byte boundary (the kernels' scalar paths); beta 0 (C holds NaN) or -0.5
                    const int impl = variant % 4;
                    const int layout = (variant / 4) % 2;
                    const int pad = layout ? 3 : 0;
                    const int shift = layout ? 1 : 0;
                    float alpha = 1.5f, beta = (variant / 8) ? -0.5f : 0.0f;
                    int lda = std::max(1, ta ? m : k) + pad, ldb = std::max(1, tb ? k : n) + pad, ldc = std::max(1, n) + pad;
                    int rowsA = ta ? k : m, rowsB = tb ? n : k;
                    std::vector<float> A(shift + std::max(1, rowsA * lda)), B(shift + std::max(1, rowsB * ldb)),
                            C(shift + m * ldc);
                    for (auto& x : A) x = u(rng);
                    for (auto& x : B) x = u(rng);
                    for (auto& x : C) x = beta == 0.0f ? NAN : u(rng);
                    const float* a = A.data() + shift;
                    const float* b = B.data() + shift;
                    const float* c0 = C.data() + shift;
                    std::vector<double> ref(m * n);
                    for (int i = 0; i < m; ++i)
                        for (int j = 0; j < n; ++j) {
                            double acc = 0;
                            for (int p = 0; p < k; ++p)
                                acc += (double)(ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                            ref[i * n + j] = alpha * acc + (beta == 0.0f ? 0 : beta * (double)c0[i * ldc + j]);
                        }
                    unsigned long long dA0 = upload(A), dB0 = upload(B), dC0 = upload(C);
                    unsigned long long dA = dA0 + 4 * shift, dB = dB0 + 4 * shift, dC = dC0 + 4 * shift;
                    if (impl == 3) {
                        int splits = 3;
                        unsigned long long ws;
                        CHECK(cuMemAlloc_v2(&ws, std::max<size_t>(4, (size_t)splits * m * n * 4)));
                        void* f;
                        CHECK(cuModuleGetFunction(&f, mod, "lamina_sgemm_64x64_splitk"));
                        void* params[] = {&ta, &tb, &m, &n, &k, &splits, &alpha, &dA, &lda, &dB, &ldb, &ws};
                        CHECK(cuLaunchKernel(f, (n + 63) / 64, (m + 63) / 64, splits, 256, 1, 1, 0, nullptr, params, nullptr));
                        void* r;
                        CHECK(cuModuleGetFunction(&r, mod, "lamina_splitk_reduce"));
                        void* rparams[] = {&ws, &splits, &m, &n, &beta, &dC, &ldc};
                        CHECK(cuLaunchKernel(r, 7, 1, 1, 128, 1, 1, 0, nullptr, rparams, nullptr));
                        CHECK(cuMemFree_v2(ws));
                    } else if (impl < 2) {
                        const char* name = impl == 0 ? "lamina_sgemm_128x128" : "lamina_sgemm_64x64";
                        int tile = impl == 0 ? 128 : 64;
                        void* f;
                        CHECK(cuModuleGetFunction(&f, mod, name));
                        void* params[] = {&ta, &tb, &m, &n, &k, &alpha, &dA, &lda, &dB, &ldb, &beta, &dC, &ldc};
                        CHECK(cuLaunchKernel(f, (n + tile - 1) / tile, (m + tile - 1) / tile, 1, 256, 1, 1, 0, nullptr,
                                             params, nullptr));
                    } else {
                        // row-major C = op(A)·op(B)  ==  column-major Cᵀ = op(B)ᵀ·op(A)ᵀ
                        CHECK(cublasSgemm_v2(handle, tb, ta, n, m, k, &alpha, (float*)dB, ldb, (float*)dA, lda, &beta,
                                             (float*)dC, ldc));
                    }
                    std::vector<float> out(C.size());
                    CHECK(cuMemcpyDtoH_v2(out.data(), dC0, out.size() * 4));
                    double worst = 0;
                    for (int i = 0; i < m; ++i)
                        for (int j = 0; j < ldc; ++j) {
                            float got = out[shift + i * ldc + j];
                            if (j >= n) {  // padding must be untouched
                                float was = C[shift + i * ldc + j];
                                if (!(got == was || (got != got && was != was))) worst = 1e9;
                                continue;
                            }
                            double r = ref[i * n + j];
                            double err = std::fabs(got - r) / (1e-5 + 1e-5 * std::sqrt((double)k + 1) + std::fabs(r) * 1e-5);
                            if (!(err <= worst)) worst = err;  // NaN counts
                        }
                    ++cases;
                    if (!(worst <= 1.0)) {
                        ++failures;
                        std::printf("FAIL %s m=%d n=%d k=%d ta=%d tb=%d pad=%d shift=%d beta=%g: worst error %g of tolerance\n",
                                    impl == 0 ? "lamina_sgemm_128x128" : impl == 1 ? "lamina_sgemm_64x64" : impl == 2 ? "cublasSgemm" : "split-k",
                                    m, n, k, ta, tb, pad, shift, beta, worst);
                    }
                    CHECK(cuMemFree_v2(dA0));
                    CHECK(cuMemFree_v2(dB0));
                    CHECK(cuMemFree_v2(dC0));
                }
    }
    // The optimizer kernels the Java side may not use yet: RMSprop and Adagrad against FusedOps'
    // steps (each rounded to float, as the reference backend does).
    {
        const int n = 1000;
        std::vector<float> w(n), g(n), v(n);
        for (int i = 0; i < n; ++i) {
            w[i] = u(rng);
            g[i] = u(rng);
            v[i] = std::fabs(u(rng));
        }
        for (int which = 0; which < 2; ++which) {
            float lr = 0.01f, rho = 0.9f, eps = 1e-7f;
            unsigned long long dw = upload(w), dg = upload(g), dv = upload(v);
            void* f;
            int nn = n;
            if (which == 0) {
                CHECK(cuModuleGetFunction(&f, mod, "lamina_rmsprop_update"));
                void* params[] = {&dw, &dg, &dv, &nn, &lr, &rho, &eps};
                CHECK(cuLaunchKernel(f, 3, 1, 1, 128, 1, 1, 0, nullptr, params, nullptr));
            } else {
                CHECK(cuModuleGetFunction(&f, mod, "lamina_adagrad_update"));
                void* params[] = {&dw, &dg, &dv, &nn, &lr, &eps};
                CHECK(cuLaunchKernel(f, 3, 1, 1, 128, 1, 1, 0, nullptr, params, nullptr));
            }
            std::vector<float> w2(n), v2(n);
            CHECK(cuMemcpyDtoH_v2(w2.data(), dw, n * 4));
            CHECK(cuMemcpyDtoH_v2(v2.data(), dv, n * 4));
            int bad = 0;
            for (int i = 0; i < n; ++i) {
                float s = (float)((double)g[i] * g[i]);
                float state = which == 0 ? (float)((double)(1.0f - rho) * s + (double)rho * v[i]) : (float)((double)s + v[i]);
                float t = (float)std::sqrt((double)(float)((double)state + eps));
                float q = g[i] / t;
                float wr = (float)((double)-lr * q + w[i]);
                if (std::fabs(v2[i] - state) > 1e-6f * std::fabs(state) + 1e-12f || std::fabs(w2[i] - wr) > 1e-6f * std::fabs(wr) + 1e-9f) ++bad;
            }
            ++cases;
            if (bad) {
                ++failures;
                std::printf("FAIL %s: %d of %d elements differ from FusedOps' steps\n", which == 0 ? "lamina_rmsprop_update" : "lamina_adagrad_update", bad, n);
            }
            CHECK(cuMemFree_v2(dw));
            CHECK(cuMemFree_v2(dg));
            CHECK(cuMemFree_v2(dv));
        }
    }
    std::printf("[lamina emulator] self-test: %d cases (SGEMM kernels 128x128, 64x64, 64x64 split-k, the cuBLAS stand-in; RMSprop, Adagrad), %d failures\n", cases, failures);
    return failures == 0 ? 0 : 1;
}
