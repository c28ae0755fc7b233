// A stand-in for the CUDA driver (libcuda.so.1): the subset of the driver API that Lamina's
// CudaBackend calls through JCuda, executing lamina.cu's kernels compiled for the CPU.
//
// Device memory is host memory (a CUdeviceptr is a host address). Work queued on a stream runs on
// that stream's own thread, so asynchronous copies and launches really are asynchronous and only
// a synchronisation makes their results visible. Beyond what a GPU reports, the emulator fills new
// allocations with NaN, keeps guard bytes behind every allocation and checks them after each kernel
// (CUDA_ERROR_ILLEGAL_ADDRESS), and rejects launches whose block shape a kernel's contract forbids
// (CUDA_ERROR_LAUNCH_FAILED). See docs/cuda-testing.md.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "emu.h"

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;

enum : int {
    CUDA_SUCCESS = 0,
    CUDA_ERROR_INVALID_VALUE = 1,
    CUDA_ERROR_OUT_OF_MEMORY = 2,
    CUDA_ERROR_NOT_INITIALIZED = 3,
    CUDA_ERROR_INVALID_DEVICE = 101,
    CUDA_ERROR_INVALID_IMAGE = 200,
    CUDA_ERROR_INVALID_CONTEXT = 201,
    CUDA_ERROR_INVALID_PTX = 218,
    CUDA_ERROR_UNSUPPORTED_PTX_VERSION = 222,
    CUDA_ERROR_INVALID_HANDLE = 400,
    CUDA_ERROR_NOT_FOUND = 500,
    CUDA_ERROR_NOT_READY = 600,
    CUDA_ERROR_ILLEGAL_ADDRESS = 700,
    CUDA_ERROR_LAUNCH_FAILED = 719,
    CUDA_ERROR_NOT_SUPPORTED = 801,
    CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED = 900,
    CUDA_ERROR_STREAM_CAPTURE_INVALIDATED = 901,
    CUDA_ERROR_UNKNOWN = 999,
};

namespace {

// ---------------------------------------------------------------- configuration

unsigned long long envULL(const char* name, unsigned long long def) {
    const char* v = std::getenv(name);
    return v && *v ? std::strtoull(v, nullptr, 10) : def;
}

bool trace() {
    static const bool on = std::getenv("LAMINA_EMU_TRACE") && std::getenv("LAMINA_EMU_TRACE")[0] == '1';
    return on;
}

void log(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    std::fprintf(stderr, "[lamina emulated GPU] ");
    std::vfprintf(stderr, fmt, ap);
    std::fprintf(stderr, "\n");
    std::fflush(stderr);
    va_end(ap);
}

#define TRACE(...)                 \
    do {                           \
        if (trace()) log(__VA_ARGS__); \
    } while (0)

constexpr size_t kAlign = 256;
constexpr size_t kGuard = 4096;  // a kernel writing up to 1024 floats past the end is caught cleanly
constexpr unsigned char kGuardByte = 0xA5;

// ---------------------------------------------------------------- objects

struct Context {
    bool primary;
};

struct Allocation {
    char* base;
    size_t size;      // as requested
    size_t reserved;  // counted against the memory limit
};

struct Event;
struct Graph {
    std::vector<std::function<void()>> work;
};
struct GraphExec {
    std::vector<std::function<void()>> work;
};

struct Stream {
    unsigned flags = 0;
    std::mutex lock;
    std::condition_variable changed;
    std::deque<std::function<void()>> queue;
    bool busy = false;
    bool stop = false;
    std::thread worker;
    // capture
    int captureStatus = 0;  // 0 none, 1 active, 2 invalidated
    int captureMode = 0;
    Graph* graph = nullptr;

    Stream() {
        worker = std::thread([this] { loop(); });
    }

    void loop() {
        for (;;) {
            std::function<void()> w;
            {
                std::unique_lock<std::mutex> g(lock);
                changed.wait(g, [&] { return stop || !queue.empty(); });
                if (queue.empty()) return;
                w = std::move(queue.front());
                queue.pop_front();
                busy = true;
            }
            w();
            {
                std::lock_guard<std::mutex> g(lock);
                busy = false;
            }
            changed.notify_all();
        }
    }

    void push(std::function<void()> w) {
        {
            std::lock_guard<std::mutex> g(lock);
            queue.push_back(std::move(w));
        }
        changed.notify_all();
    }

    void drain() {
        std::unique_lock<std::mutex> g(lock);
        changed.wait(g, [&] { return queue.empty() && !busy; });
    }

    bool idle() {
        std::lock_guard<std::mutex> g(lock);
        return queue.empty() && !busy;
    }

    ~Stream() {
        {
            std::lock_guard<std::mutex> g(lock);
            stop = true;
        }
        changed.notify_all();
        worker.join();
    }
};

struct Event {
    unsigned flags = 0;
    std::mutex lock;
    std::condition_variable done;
    bool pending = false;  // recorded, not yet reached
    bool everRecorded = false;
    std::chrono::steady_clock::time_point when;

    void complete() {
        {
            std::lock_guard<std::mutex> g(lock);
            pending = false;
            when = std::chrono::steady_clock::now();
        }
        done.notify_all();
    }
    void wait() {
        std::unique_lock<std::mutex> g(lock);
        done.wait(g, [&] { return !pending; });
    }
};

struct Function;
struct Module {
    std::map<std::string, Function*> functions;
};
struct Function {
    const lamina_emu::KernelInfo* info;
    Module* module;
    bool barriers;
};

// ---------------------------------------------------------------- global state

struct State {
    std::recursive_mutex lock;
    bool initialized = false;
    Context primary{true};
    int primaryRefs = 0;
    std::set<Context*> contexts{&primary};
    std::map<uintptr_t, Allocation> allocations;  // by base address
    std::map<uintptr_t, size_t> pinned;           // host allocations from cuMemAllocHost
    unsigned long long used = 0;
    unsigned long long limit = envULL("LAMINA_EMU_MEMORY_BYTES", 4ull << 30);
    std::set<Module*> modules;
    std::set<Function*> functions;
    std::set<Stream*> streams;
    std::set<Event*> events;
    std::set<Graph*> graphs;
    std::set<GraphExec*> execs;
    Stream* legacy = nullptr;  // the NULL stream
    std::atomic<int> sticky{CUDA_SUCCESS};
    std::string stickyWhy;
    int moduleLoads = 0;  // cuModuleLoadData(Ex) calls that succeeded (LAMINA_EMU_TRACE shows the count)
};

State& st() {
    static State* s = new State();  // never destroyed: stream threads may outlive static destruction
    return *s;
}

thread_local Context* current = nullptr;
thread_local std::vector<Context*> ctxStack;

void setSticky(int code, const std::string& why) {
    State& s = st();
    int expected = CUDA_SUCCESS;
    if (s.sticky.compare_exchange_strong(expected, code)) {
        s.stickyWhy = why;
        log("%s -> context is now unusable (error %d), as after a device fault on a GPU", why.c_str(), code);
    }
}

Stream* legacyStream() {
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    if (!s.legacy) s.legacy = new Stream();
    return s.legacy;
}

// The CUstream handle as the driver sees it: null, CU_STREAM_LEGACY (1) and CU_STREAM_PER_THREAD
// (2) all mean the default stream here.
CUresult resolveStream(void* handle, Stream** out) {
    auto h = reinterpret_cast<uintptr_t>(handle);
    if (h == 0 || h == 1 || h == 2) {
        *out = legacyStream();
        return CUDA_SUCCESS;
    }
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    auto* stream = static_cast<Stream*>(handle);
    if (!s.streams.count(stream)) return CUDA_ERROR_INVALID_HANDLE;
    *out = stream;
    return CUDA_SUCCESS;
}

bool anyBlockingCapture() {
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    for (Stream* x : s.streams) {
        if (x->captureStatus == 1 && x->captureMode != 2) return true;
    }
    return false;
}

void invalidateCaptures() {
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    for (Stream* x : s.streams) {
        if (x->captureStatus == 1 && x->captureMode != 2) x->captureStatus = 2;
    }
}

void drainAll() {
    State& s = st();
    std::vector<Stream*> all;
    {
        std::lock_guard<std::recursive_mutex> g(s.lock);
        all.assign(s.streams.begin(), s.streams.end());
    }
    all.push_back(legacyStream());
    for (Stream* x : all) x->drain();
}

// Queues work on a stream, in order with its other work. The legacy default stream waits for all
// blocking streams and they wait for it (modelled by draining on the host before queueing).
CUresult enqueue(void* handle, std::function<void()> work) {
    Stream* stream;
    CUresult r = resolveStream(handle, &stream);
    if (r != CUDA_SUCCESS) return r;
    State& s = st();
    if (stream->captureStatus == 1) {
        stream->graph->work.push_back(std::move(work));
        return CUDA_SUCCESS;
    }
    if (stream->captureStatus == 2) return CUDA_ERROR_STREAM_CAPTURE_INVALIDATED;
    if (stream == s.legacy) {
        std::vector<Stream*> others;
        {
            std::lock_guard<std::recursive_mutex> g(s.lock);
            for (Stream* x : s.streams) {
                if (!(x->flags & 1u)) others.push_back(x);
            }
        }
        for (Stream* x : others) x->drain();
    } else if (!(stream->flags & 1u)) {
        legacyStream()->drain();
    }
    stream->push(std::move(work));
    return CUDA_SUCCESS;
}

#define REQUIRE_INIT()                                   \
    do {                                                 \
        if (!st().initialized) return CUDA_ERROR_NOT_INITIALIZED; \
    } while (0)

#define REQUIRE_CTX()                                            \
    do {                                                         \
        if (!st().initialized) return CUDA_ERROR_NOT_INITIALIZED; \
        if (current == nullptr) {                                \
            TRACE("%s: no current context on this thread", __func__); \
            return CUDA_ERROR_INVALID_CONTEXT;                   \
        }                                                        \
        int sticky_ = st().sticky.load();                        \
        if (sticky_ != CUDA_SUCCESS) return sticky_;             \
    } while (0)

// The allocation containing [p, p + bytes), or null.
const Allocation* findRange(uintptr_t p, size_t bytes) {
    State& s = st();
    auto it = s.allocations.upper_bound(p);
    if (it == s.allocations.begin()) return nullptr;
    --it;
    const Allocation& a = it->second;
    uintptr_t base = reinterpret_cast<uintptr_t>(a.base);
    if (p < base || p + bytes > base + a.size || p + bytes < p) return nullptr;
    return &a;
}

bool isPinned(const void* p, size_t bytes) {
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    auto h = reinterpret_cast<uintptr_t>(p);
    auto it = s.pinned.upper_bound(h);
    if (it == s.pinned.begin()) return false;
    --it;
    return h >= it->first && h + bytes <= it->first + it->second;
}

CUresult checkDevice(CUdeviceptr p, size_t bytes, const char* what) {
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    if (bytes == 0) return CUDA_SUCCESS;
    if (!findRange(static_cast<uintptr_t>(p), bytes)) {
        log("%s: [0x%llx, +%zu bytes) is not inside one device allocation", what, p, bytes);
        return CUDA_ERROR_INVALID_VALUE;
    }
    return CUDA_SUCCESS;
}

// After each kernel: every allocation's guard bytes must be untouched. memcmp against a pattern
// first (vectorised, the common case), the byte loop only to name the first byte that changed.
void checkGuards(const std::string& kernel) {
    static const std::vector<unsigned char> pattern(kGuard, kGuardByte);
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    for (auto& [base, a] : s.allocations) {
        const unsigned char* guard = reinterpret_cast<const unsigned char*>(a.base + a.size);
        if (std::memcmp(guard, pattern.data(), kGuard) == 0) continue;
        for (size_t i = 0; i < kGuard; ++i) {
            if (guard[i] != kGuardByte) {
                char buf[256];
                std::snprintf(buf, sizeof buf,
                              "%s wrote past the end of a %zu-byte allocation at 0x%lx (byte %zu behind it)",
                              kernel.c_str(), a.size, static_cast<unsigned long>(base), i);
                std::memset(a.base + a.size, kGuardByte, kGuard);
                setSticky(CUDA_ERROR_ILLEGAL_ADDRESS, buf);
                return;
            }
        }
    }
}

void releaseAllocation(std::map<uintptr_t, Allocation>::iterator it) {
    State& s = st();
    s.used -= it->second.reserved;
    std::free(it->second.base);
    s.allocations.erase(it);
}

// The primary context's last release: everything in it goes, as on a GPU.
void resetContext() {
    drainAll();
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    while (!s.allocations.empty()) releaseAllocation(s.allocations.begin());
    for (Function* f : s.functions) delete f;
    s.functions.clear();
    for (Module* m : s.modules) delete m;
    s.modules.clear();
    for (Stream* x : s.streams) delete x;
    s.streams.clear();
    for (Event* e : s.events) delete e;
    s.events.clear();
    s.sticky = CUDA_SUCCESS;
    s.stickyWhy.clear();
}

// ---------------------------------------------------------------- PTX parsing

struct PtxEntry {
    std::string name;
    std::vector<size_t> paramSizes;
    bool barriers = false;  // the body has bar.sync (a __syncthreads)
};

bool parsePtx(const std::string& ptx, std::string& version, std::vector<PtxEntry>& entries) {
    size_t v = ptx.find(".version ");
    if (v == std::string::npos) return false;
    size_t end = ptx.find_first_of("\r\n", v);
    version = ptx.substr(v + 9, end - (v + 9));
    size_t pos = 0;
    while ((pos = ptx.find(".entry ", pos)) != std::string::npos) {
        pos += 7;
        size_t open = ptx.find('(', pos);
        size_t close = ptx.find(')', open);
        if (open == std::string::npos || close == std::string::npos) return false;
        std::string name = ptx.substr(pos, open - pos);
        while (!name.empty() && (name.back() == ' ' || name.back() == '\t' || name.back() == '\n')) name.pop_back();
        PtxEntry e{name, {}};
        std::string params = ptx.substr(open + 1, close - open - 1);
        size_t p = 0;
        while ((p = params.find(".param", p)) != std::string::npos) {
            p += 6;
            size_t lineEnd = params.find_first_of(",\n", p);
            std::string decl = params.substr(p, lineEnd - p);
            size_t bytes = 0;
            size_t bracket = decl.find('[');
            if (bracket != std::string::npos) {
                bytes = std::strtoul(decl.c_str() + bracket + 1, nullptr, 10);
            } else {
                for (const char* t : {".u64", ".s64", ".b64", ".f64"}) if (decl.find(t) != std::string::npos) bytes = 8;
                for (const char* t : {".u32", ".s32", ".b32", ".f32"}) if (decl.find(t) != std::string::npos) bytes = 4;
                for (const char* t : {".u16", ".s16", ".b16", ".f16"}) if (decl.find(t) != std::string::npos) bytes = 2;
                for (const char* t : {".u8 ", ".s8 ", ".b8 "}) if (decl.find(t) != std::string::npos) bytes = 1;
            }
            e.paramSizes.push_back(bytes);
        }
        size_t next = ptx.find(".entry ", close);
        std::string body = ptx.substr(close, next == std::string::npos ? std::string::npos : next - close);
        // Conservatively: barriers when the body has one, or calls a function (which might).
        e.barriers = body.find("bar.sync") != std::string::npos || body.find("barrier.") != std::string::npos
                || body.find("bar.arrive") != std::string::npos || body.find("call") != std::string::npos;
        entries.push_back(e);
        pos = close;
    }
    return true;
}

double versionNumber(const std::string& v) {
    return std::strtod(v.c_str(), nullptr);
}

const char* errorName(int code) {
    switch (code) {
        case CUDA_SUCCESS: return "CUDA_SUCCESS";
        case CUDA_ERROR_INVALID_VALUE: return "CUDA_ERROR_INVALID_VALUE";
        case CUDA_ERROR_OUT_OF_MEMORY: return "CUDA_ERROR_OUT_OF_MEMORY";
        case CUDA_ERROR_NOT_INITIALIZED: return "CUDA_ERROR_NOT_INITIALIZED";
        case CUDA_ERROR_INVALID_DEVICE: return "CUDA_ERROR_INVALID_DEVICE";
        case CUDA_ERROR_INVALID_IMAGE: return "CUDA_ERROR_INVALID_IMAGE";
        case CUDA_ERROR_INVALID_CONTEXT: return "CUDA_ERROR_INVALID_CONTEXT";
        case CUDA_ERROR_INVALID_PTX: return "CUDA_ERROR_INVALID_PTX";
        case CUDA_ERROR_UNSUPPORTED_PTX_VERSION: return "CUDA_ERROR_UNSUPPORTED_PTX_VERSION";
        case CUDA_ERROR_INVALID_HANDLE: return "CUDA_ERROR_INVALID_HANDLE";
        case CUDA_ERROR_NOT_FOUND: return "CUDA_ERROR_NOT_FOUND";
        case CUDA_ERROR_NOT_READY: return "CUDA_ERROR_NOT_READY";
        case CUDA_ERROR_ILLEGAL_ADDRESS: return "CUDA_ERROR_ILLEGAL_ADDRESS";
        case CUDA_ERROR_LAUNCH_FAILED: return "CUDA_ERROR_LAUNCH_FAILED";
        case CUDA_ERROR_NOT_SUPPORTED: return "CUDA_ERROR_NOT_SUPPORTED";
        case CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED: return "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED";
        case CUDA_ERROR_STREAM_CAPTURE_INVALIDATED: return "CUDA_ERROR_STREAM_CAPTURE_INVALIDATED";
        default: return nullptr;
    }
}

CUresult copySync(void* dst, const void* src, size_t bytes) {
    if (anyBlockingCapture()) {
        invalidateCaptures();
        return CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED;
    }
    drainAll();
    int sticky = st().sticky.load();
    if (sticky != CUDA_SUCCESS) return sticky;
    if (bytes) std::memmove(dst, src, bytes);
    return CUDA_SUCCESS;
}

}  // namespace

// ================================================================ the driver API

extern "C" {

CUresult cuGetErrorName(CUresult error, const char** pStr) {
    const char* n = errorName(error);
    if (!pStr) return CUDA_ERROR_INVALID_VALUE;
    *pStr = n;
    return n ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
}

CUresult cuGetErrorString(CUresult error, const char** pStr) {
    return cuGetErrorName(error, pStr);
}

CUresult cuInit(unsigned int flags) {
    TRACE("cuInit(%u)", flags);
    if (flags != 0) return CUDA_ERROR_INVALID_VALUE;
    st().initialized = true;
    return CUDA_SUCCESS;
}

CUresult cuDriverGetVersion(int* version) {
    if (!version) return CUDA_ERROR_INVALID_VALUE;
    *version = static_cast<int>(envULL("LAMINA_EMU_DRIVER_VERSION", 12000));
    return CUDA_SUCCESS;
}

CUresult cuDeviceGetCount(int* count) {
    REQUIRE_INIT();
    if (!count) return CUDA_ERROR_INVALID_VALUE;
    *count = 1;
    return CUDA_SUCCESS;
}

CUresult cuDeviceGet(CUdevice* device, int ordinal) {
    REQUIRE_INIT();
    if (!device) return CUDA_ERROR_INVALID_VALUE;
    if (ordinal != 0) return CUDA_ERROR_INVALID_DEVICE;
    *device = 0;
    return CUDA_SUCCESS;
}

CUresult cuDeviceGetName(char* name, int len, CUdevice dev) {
    REQUIRE_INIT();
    if (!name || len <= 0) return CUDA_ERROR_INVALID_VALUE;
    if (dev != 0) return CUDA_ERROR_INVALID_DEVICE;
    std::snprintf(name, static_cast<size_t>(len), "Lamina emulated GPU (kernels on the CPU)");
    return CUDA_SUCCESS;
}

static void computeCapability(int* major, int* minor) {
    const char* cc = std::getenv("LAMINA_EMU_CC");
    double v = cc && *cc ? std::strtod(cc, nullptr) : 8.0;
    *major = static_cast<int>(v);
    *minor = static_cast<int>((v - *major) * 10 + 0.5);
}

CUresult cuDeviceComputeCapability(int* major, int* minor, CUdevice dev) {
    REQUIRE_INIT();
    if (!major || !minor) return CUDA_ERROR_INVALID_VALUE;
    if (dev != 0) return CUDA_ERROR_INVALID_DEVICE;
    computeCapability(major, minor);
    return CUDA_SUCCESS;
}

CUresult cuDeviceGetAttribute(int* pi, int attrib, CUdevice dev) {
    REQUIRE_INIT();
    if (!pi) return CUDA_ERROR_INVALID_VALUE;
    if (dev != 0) return CUDA_ERROR_INVALID_DEVICE;
    int major, minor;
    computeCapability(&major, &minor);
    int v = 0;
    switch (attrib) {
        case 1: v = 1024; break;           // MAX_THREADS_PER_BLOCK
        case 2: case 3: v = 1024; break;   // MAX_BLOCK_DIM_X/Y
        case 4: v = 64; break;             // MAX_BLOCK_DIM_Z
        case 5: v = 2147483647; break;     // MAX_GRID_DIM_X
        case 6: case 7: v = 65535; break;  // MAX_GRID_DIM_Y/Z
        case 8: v = 49152; break;          // MAX_SHARED_MEMORY_PER_BLOCK
        case 9: v = 65536; break;          // TOTAL_CONSTANT_MEMORY
        case 10: v = 32; break;            // WARP_SIZE
        case 12: v = 65536; break;         // MAX_REGISTERS_PER_BLOCK
        case 13: v = 1000000; break;       // CLOCK_RATE (kHz)
        case 16: v = static_cast<int>(std::thread::hardware_concurrency()); break;  // MULTIPROCESSOR_COUNT
        case 19: v = 1; break;             // CAN_MAP_HOST_MEMORY
        case 31: v = 1; break;             // CONCURRENT_KERNELS
        case 39: v = 2048; break;          // MAX_THREADS_PER_MULTIPROCESSOR
        case 40: v = 1; break;             // ASYNC_ENGINE_COUNT
        case 41: v = 1; break;             // UNIFIED_ADDRESSING
        case 75: v = major; break;
        case 76: v = minor; break;
        case 81: v = 102400; break;        // MAX_SHARED_MEMORY_PER_MULTIPROCESSOR
        case 82: v = 65536; break;         // MAX_REGISTERS_PER_MULTIPROCESSOR
        case 97: v = 49152; break;         // MAX_SHARED_MEMORY_PER_BLOCK_OPTIN
        default: v = 0; break;
    }
    *pi = v;
    return CUDA_SUCCESS;
}

CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice dev) {
    REQUIRE_INIT();
    if (!bytes) return CUDA_ERROR_INVALID_VALUE;
    if (dev != 0) return CUDA_ERROR_INVALID_DEVICE;
    *bytes = st().limit;
    return CUDA_SUCCESS;
}

// ---------------------------------------------------------------- contexts

CUresult cuDevicePrimaryCtxRetain(void** pctx, CUdevice dev) {
    REQUIRE_INIT();
    if (!pctx) return CUDA_ERROR_INVALID_VALUE;
    if (dev != 0) return CUDA_ERROR_INVALID_DEVICE;
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    ++s.primaryRefs;
    *pctx = &s.primary;
    TRACE("cuDevicePrimaryCtxRetain -> refs %d", s.primaryRefs);
    return CUDA_SUCCESS;
}

CUresult cuDevicePrimaryCtxRelease_v2(CUdevice dev) {
    REQUIRE_INIT();
    if (dev != 0) return CUDA_ERROR_INVALID_DEVICE;
    State& s = st();
    bool reset = false;
    {
        std::lock_guard<std::recursive_mutex> g(s.lock);
        if (s.primaryRefs <= 0) return CUDA_ERROR_INVALID_CONTEXT;
        reset = --s.primaryRefs == 0;
        TRACE("cuDevicePrimaryCtxRelease -> refs %d", s.primaryRefs);
    }
    if (reset) resetContext();
    return CUDA_SUCCESS;
}

CUresult cuDevicePrimaryCtxReset_v2(CUdevice dev) {
    REQUIRE_INIT();
    if (dev != 0) return CUDA_ERROR_INVALID_DEVICE;
    resetContext();
    return CUDA_SUCCESS;
}

CUresult cuDevicePrimaryCtxGetState(CUdevice dev, unsigned int* flags, int* active) {
    REQUIRE_INIT();
    if (dev != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (!flags || !active) return CUDA_ERROR_INVALID_VALUE;
    *flags = 0;
    *active = st().primaryRefs > 0;
    return CUDA_SUCCESS;
}

CUresult cuDevicePrimaryCtxSetFlags_v2(CUdevice dev, unsigned int) {
    REQUIRE_INIT();
    return dev == 0 ? CUDA_SUCCESS : CUDA_ERROR_INVALID_DEVICE;
}

CUresult cuCtxCreate_v2(void** pctx, unsigned int, CUdevice dev) {
    REQUIRE_INIT();
    if (!pctx) return CUDA_ERROR_INVALID_VALUE;
    if (dev != 0) return CUDA_ERROR_INVALID_DEVICE;
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    auto* c = new Context{false};
    s.contexts.insert(c);
    current = c;
    *pctx = c;
    return CUDA_SUCCESS;
}

CUresult cuCtxDestroy_v2(void* ctx) {
    REQUIRE_INIT();
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    auto* c = static_cast<Context*>(ctx);
    if (!s.contexts.count(c) || c->primary) return CUDA_ERROR_INVALID_CONTEXT;
    drainAll();
    s.contexts.erase(c);
    if (current == c) current = nullptr;
    delete c;
    return CUDA_SUCCESS;
}

CUresult cuCtxSetCurrent(void* ctx) {
    REQUIRE_INIT();
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    auto* c = static_cast<Context*>(ctx);
    if (c && !s.contexts.count(c)) return CUDA_ERROR_INVALID_CONTEXT;
    if (c == &s.primary && s.primaryRefs <= 0) return CUDA_ERROR_INVALID_CONTEXT;
    current = c;
    return CUDA_SUCCESS;
}

CUresult cuCtxGetCurrent(void** pctx) {
    REQUIRE_INIT();
    if (!pctx) return CUDA_ERROR_INVALID_VALUE;
    *pctx = current;
    return CUDA_SUCCESS;
}

CUresult cuCtxPushCurrent_v2(void* ctx) {
    REQUIRE_INIT();
    ctxStack.push_back(current);
    current = static_cast<Context*>(ctx);
    return CUDA_SUCCESS;
}

CUresult cuCtxPopCurrent_v2(void** pctx) {
    REQUIRE_INIT();
    if (pctx) *pctx = current;
    if (ctxStack.empty()) {
        current = nullptr;
    } else {
        current = ctxStack.back();
        ctxStack.pop_back();
    }
    return CUDA_SUCCESS;
}

CUresult cuCtxGetDevice(CUdevice* device) {
    REQUIRE_CTX();
    if (!device) return CUDA_ERROR_INVALID_VALUE;
    *device = 0;
    return CUDA_SUCCESS;
}

CUresult cuCtxSynchronize() {
    REQUIRE_CTX();
    if (anyBlockingCapture()) {
        invalidateCaptures();
        return CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED;
    }
    drainAll();
    return st().sticky.load();
}

CUresult cuCtxGetApiVersion(void*, unsigned int* version) {
    REQUIRE_INIT();
    if (!version) return CUDA_ERROR_INVALID_VALUE;
    *version = 3020;
    return CUDA_SUCCESS;
}

// ---------------------------------------------------------------- memory

CUresult cuMemGetInfo_v2(size_t* freeBytes, size_t* totalBytes) {
    REQUIRE_CTX();
    if (!freeBytes || !totalBytes) return CUDA_ERROR_INVALID_VALUE;
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    *totalBytes = s.limit;
    *freeBytes = s.limit > s.used ? s.limit - s.used : 0;
    return CUDA_SUCCESS;
}

CUresult cuMemAlloc_v2(CUdeviceptr* dptr, size_t bytes) {
    REQUIRE_CTX();
    if (!dptr || bytes == 0) return CUDA_ERROR_INVALID_VALUE;
    if (anyBlockingCapture()) {
        invalidateCaptures();
        return CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED;
    }
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    size_t reserved = (bytes + kAlign - 1) / kAlign * kAlign;
    if (s.used + reserved > s.limit) {
        TRACE("cuMemAlloc(%zu) -> out of memory (%llu of %llu used)", bytes, s.used, s.limit);
        return CUDA_ERROR_OUT_OF_MEMORY;
    }
    void* p = nullptr;
    if (posix_memalign(&p, kAlign, reserved + kGuard) != 0) return CUDA_ERROR_OUT_OF_MEMORY;
    std::memset(p, 0xFF, bytes);  // NaN: a GPU does not zero new memory either
    std::memset(static_cast<char*>(p) + bytes, kGuardByte, reserved + kGuard - bytes);
    s.allocations[reinterpret_cast<uintptr_t>(p)] = Allocation{static_cast<char*>(p), bytes, reserved};
    s.used += reserved;
    *dptr = reinterpret_cast<uintptr_t>(p);
    TRACE("cuMemAlloc(%zu) -> 0x%llx", bytes, *dptr);
    return CUDA_SUCCESS;
}

CUresult cuMemFree_v2(CUdeviceptr dptr) {
    REQUIRE_INIT();
    if (current == nullptr) return CUDA_ERROR_INVALID_CONTEXT;
    if (dptr == 0) return CUDA_SUCCESS;
    if (anyBlockingCapture()) {
        invalidateCaptures();
        return CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED;
    }
    drainAll();  // cuMemFree synchronises with the device
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    auto it = s.allocations.find(static_cast<uintptr_t>(dptr));
    if (it == s.allocations.end()) {
        log("cuMemFree(0x%llx): not the start of a live allocation (freed twice?)", dptr);
        return CUDA_ERROR_INVALID_VALUE;
    }
    TRACE("cuMemFree(0x%llx)", dptr);
    releaseAllocation(it);
    return st().sticky.load();
}

CUresult cuMemAllocHost_v2(void** pp, size_t bytes) {
    REQUIRE_CTX();
    if (!pp || bytes == 0) return CUDA_ERROR_INVALID_VALUE;
    void* p = nullptr;
    if (posix_memalign(&p, 4096, bytes) != 0) return CUDA_ERROR_OUT_OF_MEMORY;
    std::memset(p, 0, bytes);
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    s.pinned[reinterpret_cast<uintptr_t>(p)] = bytes;
    *pp = p;
    return CUDA_SUCCESS;
}

CUresult cuMemHostAlloc(void** pp, size_t bytes, unsigned int) {
    return cuMemAllocHost_v2(pp, bytes);
}

CUresult cuMemFreeHost(void* p) {
    REQUIRE_INIT();
    drainAll();
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    auto it = s.pinned.find(reinterpret_cast<uintptr_t>(p));
    if (it == s.pinned.end()) return CUDA_ERROR_INVALID_VALUE;
    s.pinned.erase(it);
    std::free(p);
    return CUDA_SUCCESS;
}

CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void* src, size_t bytes) {
    REQUIRE_CTX();
    if (CUresult r = checkDevice(dst, bytes, "cuMemcpyHtoD"); r != CUDA_SUCCESS) return r;
    return copySync(reinterpret_cast<void*>(dst), src, bytes);
}

CUresult cuMemcpyDtoH_v2(void* dst, CUdeviceptr src, size_t bytes) {
    REQUIRE_CTX();
    if (CUresult r = checkDevice(src, bytes, "cuMemcpyDtoH"); r != CUDA_SUCCESS) return r;
    return copySync(dst, reinterpret_cast<const void*>(src), bytes);
}

CUresult cuMemcpyDtoD_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes) {
    REQUIRE_CTX();
    if (CUresult r = checkDevice(dst, bytes, "cuMemcpyDtoD dst"); r != CUDA_SUCCESS) return r;
    if (CUresult r = checkDevice(src, bytes, "cuMemcpyDtoD src"); r != CUDA_SUCCESS) return r;
    // Device-to-device copies are asynchronous with respect to the host even without "Async".
    void* d = reinterpret_cast<void*>(dst);
    const void* s = reinterpret_cast<const void*>(src);
    return enqueue(nullptr, [d, s, bytes] { std::memmove(d, s, bytes); });
}

CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void* src, size_t bytes, void* stream) {
    REQUIRE_CTX();
    if (CUresult r = checkDevice(dst, bytes, "cuMemcpyHtoDAsync"); r != CUDA_SUCCESS) return r;
    void* d = reinterpret_cast<void*>(dst);
    if (isPinned(src, bytes)) {
        return enqueue(stream, [d, src, bytes] { std::memcpy(d, src, bytes); });
    }
    // Pageable source: the driver stages it before returning, so the caller may reuse it at once.
    auto copy = std::make_shared<std::vector<char>>(static_cast<const char*>(src), static_cast<const char*>(src) + bytes);
    return enqueue(stream, [d, copy, bytes] { std::memcpy(d, copy->data(), bytes); });
}

CUresult cuMemcpyDtoHAsync_v2(void* dst, CUdeviceptr src, size_t bytes, void* stream) {
    REQUIRE_CTX();
    if (CUresult r = checkDevice(src, bytes, "cuMemcpyDtoHAsync"); r != CUDA_SUCCESS) return r;
    const void* s = reinterpret_cast<const void*>(src);
    if (isPinned(dst, bytes)) {
        return enqueue(stream, [dst, s, bytes] { std::memcpy(dst, s, bytes); });
    }
    // Pageable destination: the copy has completed when the call returns.
    Stream* x;
    if (CUresult r = resolveStream(stream, &x); r != CUDA_SUCCESS) return r;
    if (x->captureStatus != 0) return CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED;
    x->drain();
    std::memcpy(dst, s, bytes);
    return st().sticky.load();
}

CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes, void* stream) {
    REQUIRE_CTX();
    if (CUresult r = checkDevice(dst, bytes, "cuMemcpyDtoDAsync dst"); r != CUDA_SUCCESS) return r;
    if (CUresult r = checkDevice(src, bytes, "cuMemcpyDtoDAsync src"); r != CUDA_SUCCESS) return r;
    void* d = reinterpret_cast<void*>(dst);
    const void* s = reinterpret_cast<const void*>(src);
    return enqueue(stream, [d, s, bytes] { std::memmove(d, s, bytes); });
}

static bool isDevice(uintptr_t p) {
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    return findRange(p, 1) != nullptr;
}

CUresult cuMemcpyAsync(CUdeviceptr dst, CUdeviceptr src, size_t bytes, void* stream) {
    REQUIRE_CTX();
    bool dDev = isDevice(dst), sDev = isDevice(src);
    if (dDev && sDev) return cuMemcpyDtoDAsync_v2(dst, src, bytes, stream);
    if (dDev) return cuMemcpyHtoDAsync_v2(dst, reinterpret_cast<const void*>(src), bytes, stream);
    if (sDev) return cuMemcpyDtoHAsync_v2(reinterpret_cast<void*>(dst), src, bytes, stream);
    return CUDA_ERROR_INVALID_VALUE;
}

CUresult cuMemcpy(CUdeviceptr dst, CUdeviceptr src, size_t bytes) {
    REQUIRE_CTX();
    bool dDev = isDevice(dst), sDev = isDevice(src);
    if (!dDev && !sDev) return CUDA_ERROR_INVALID_VALUE;
    return copySync(reinterpret_cast<void*>(dst), reinterpret_cast<const void*>(src), bytes);
}

static CUresult memset32(CUdeviceptr dst, unsigned int value, size_t count, void* stream, bool sync) {
    REQUIRE_CTX();
    if (dst % 4 != 0) return CUDA_ERROR_INVALID_VALUE;
    if (CUresult r = checkDevice(dst, count * 4, "cuMemsetD32"); r != CUDA_SUCCESS) return r;
    auto* d = reinterpret_cast<unsigned int*>(dst);
    auto work = [d, value, count] {
        for (size_t i = 0; i < count; ++i) d[i] = value;
    };
    if (sync) {
        if (anyBlockingCapture()) return CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED;
        drainAll();
        work();
        return st().sticky.load();
    }
    return enqueue(stream, work);
}

CUresult cuMemsetD32_v2(CUdeviceptr dst, unsigned int value, size_t count) {
    return memset32(dst, value, count, nullptr, true);
}

CUresult cuMemsetD32Async(CUdeviceptr dst, unsigned int value, size_t count, void* stream) {
    return memset32(dst, value, count, stream, false);
}

CUresult cuMemsetD8_v2(CUdeviceptr dst, unsigned char value, size_t count) {
    REQUIRE_CTX();
    if (CUresult r = checkDevice(dst, count, "cuMemsetD8"); r != CUDA_SUCCESS) return r;
    if (anyBlockingCapture()) return CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED;
    drainAll();
    std::memset(reinterpret_cast<void*>(dst), value, count);
    return st().sticky.load();
}

CUresult cuMemsetD8Async(CUdeviceptr dst, unsigned char value, size_t count, void* stream) {
    REQUIRE_CTX();
    if (CUresult r = checkDevice(dst, count, "cuMemsetD8Async"); r != CUDA_SUCCESS) return r;
    void* d = reinterpret_cast<void*>(dst);
    return enqueue(stream, [d, value, count] { std::memset(d, value, count); });
}

// ---------------------------------------------------------------- modules and launches

}  // extern "C"

namespace {

// The checks a driver's JIT makes, as far as the emulator can: the PTX's ISA version against the
// driver's, and every .entry against the kernels compiled from lamina.cu. On failure the reason goes
// to `error` (what a real JIT writes into CU_JIT_ERROR_LOG_BUFFER) and to stderr.
CUresult loadModule(void** module, const void* image, std::string& error) {
    auto fail = [&error](CUresult code, const std::string& why) {
        error = why;
        log("cuModuleLoadData: %s", why.c_str());
        return code;
    };
    std::string ptx(static_cast<const char*>(image));
    std::string version;
    std::vector<PtxEntry> entries;
    if (!parsePtx(ptx, version, entries)) {
        return fail(CUDA_ERROR_INVALID_IMAGE, "not PTX text (no .version line); the emulator runs PTX built from lamina.cu only");
    }
    const char* maxEnv = std::getenv("LAMINA_EMU_PTX_ISA_MAX");
    double maxIsa = maxEnv && *maxEnv ? std::strtod(maxEnv, nullptr) : 8.0;
    if (versionNumber(version) > maxIsa + 1e-9) {
        char why[160];
        std::snprintf(why, sizeof why, "ptxas application ptx input, line 1; fatal : Unsupported .version %s; current version is '%.1f'",
                      version.c_str(), maxIsa);
        return fail(CUDA_ERROR_UNSUPPORTED_PTX_VERSION, why);
    }
    auto* m = new Module();
    for (const PtxEntry& e : entries) {
        const lamina_emu::KernelInfo* found = nullptr;
        for (const auto& k : lamina_emu::kernels()) {
            if (e.name == k.name) found = &k;
        }
        if (!found) {
            delete m;
            return fail(CUDA_ERROR_INVALID_PTX, "the PTX has kernel " + e.name +
                        ", which the emulator was not built with (add it to src/test/native/emu_kernels.cpp)");
        }
        if (found->paramSizes != e.paramSizes) {
            delete m;
            return fail(CUDA_ERROR_INVALID_PTX, "kernel " + e.name + " has " + std::to_string(e.paramSizes.size()) +
                        " parameters in the PTX but " + std::to_string(found->paramSizes.size()) +
                        " in lamina.cu as compiled for the CPU (or their sizes differ): the committed PTX is out of date");
        }
        auto* f = new Function{found, m, e.barriers};
        m->functions[e.name] = f;
    }
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    s.modules.insert(m);
    for (auto& [name, f] : m->functions) s.functions.insert(f);
    *module = m;
    ++s.moduleLoads;
    TRACE("cuModuleLoadData: PTX ISA %s, %zu kernels (load %d of this process)", version.c_str(), entries.size(), s.moduleLoads);
    return CUDA_SUCCESS;
}

}  // namespace

extern "C" {

CUresult cuModuleLoadData(void** module, const void* image) {
    REQUIRE_CTX();
    if (!module || !image) return CUDA_ERROR_INVALID_VALUE;
    std::string error;
    return loadModule(module, image, error);
}

// CUjit_option values (cuda.h) the emulator honours; the others are accepted and ignored.
enum : int { CU_JIT_WALL_TIME = 2, CU_JIT_ERROR_LOG_BUFFER = 5, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6 };

CUresult cuModuleLoadDataEx(void** module, const void* image, unsigned int numOptions, int* options, void** values) {
    REQUIRE_CTX();
    if (!module || !image || (numOptions && (!options || !values))) return CUDA_ERROR_INVALID_VALUE;
    char* errorLog = nullptr;
    size_t errorLogBytes = 0;
    int sizeSlot = -1, wallSlot = -1;
    for (unsigned i = 0; i < numOptions; i++) {
        if (options[i] == CU_JIT_ERROR_LOG_BUFFER) errorLog = static_cast<char*>(values[i]);
        if (options[i] == CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES) {
            errorLogBytes = reinterpret_cast<uintptr_t>(values[i]);
            sizeSlot = static_cast<int>(i);
        }
        if (options[i] == CU_JIT_WALL_TIME) wallSlot = static_cast<int>(i);
    }
    std::string error;
    auto start = std::chrono::steady_clock::now();
    CUresult r = loadModule(module, image, error);
    if (wallSlot >= 0) {  // a float in the pointer-sized slot, milliseconds
        float ms = std::chrono::duration<float, std::milli>(std::chrono::steady_clock::now() - start).count();
        uintptr_t bits = 0;
        std::memcpy(&bits, &ms, sizeof ms);
        values[wallSlot] = reinterpret_cast<void*>(bits);
    }
    size_t written = 0;
    if (errorLog && errorLogBytes > 0) {
        written = std::min(error.size(), errorLogBytes - 1);
        std::memcpy(errorLog, error.data(), written);
        errorLog[written] = 0;
    }
    if (sizeSlot >= 0) values[sizeSlot] = reinterpret_cast<void*>(static_cast<uintptr_t>(written));
    return r;
}

CUresult cuModuleUnload(void* module) {
    REQUIRE_INIT();
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    auto* m = static_cast<Module*>(module);
    if (!s.modules.count(m)) return CUDA_ERROR_INVALID_HANDLE;
    drainAll();
    for (auto& [name, f] : m->functions) {
        s.functions.erase(f);
        delete f;
    }
    s.modules.erase(m);
    delete m;
    return CUDA_SUCCESS;
}

CUresult cuModuleGetFunction(void** hfunc, void* module, const char* name) {
    REQUIRE_CTX();
    if (!hfunc || !name) return CUDA_ERROR_INVALID_VALUE;
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    auto* m = static_cast<Module*>(module);
    if (!s.modules.count(m)) return CUDA_ERROR_INVALID_HANDLE;
    auto it = m->functions.find(name);
    if (it == m->functions.end()) return CUDA_ERROR_NOT_FOUND;
    *hfunc = it->second;
    return CUDA_SUCCESS;
}

CUresult cuFuncGetAttribute(int* pi, int attrib, void* hfunc) {
    REQUIRE_CTX();
    if (!pi) return CUDA_ERROR_INVALID_VALUE;
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    auto* f = static_cast<Function*>(hfunc);
    if (!s.functions.count(f)) return CUDA_ERROR_INVALID_HANDLE;
    bool gemm = std::strstr(f->info->name, "sgemm") != nullptr;
    switch (attrib) {
        case 0: *pi = gemm ? 256 : 1024; break;  // MAX_THREADS_PER_BLOCK
        case 1: *pi = gemm ? 16384 : 8192; break; // SHARED_SIZE_BYTES (upper bound)
        case 4: *pi = gemm ? 128 : 32; break;    // NUM_REGS
        default: *pi = 0; break;
    }
    return CUDA_SUCCESS;
}

CUresult cuLaunchKernel(void* hfunc, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx,
                        unsigned int by, unsigned int bz, unsigned int sharedBytes, void* stream,
                        void** kernelParams, void** extra) {
    REQUIRE_CTX();
    const lamina_emu::KernelInfo* info;
    bool barriers;
    {
        State& s = st();
        std::lock_guard<std::recursive_mutex> g(s.lock);
        auto* f = static_cast<Function*>(hfunc);
        if (!s.functions.count(f)) return CUDA_ERROR_INVALID_HANDLE;
        info = f->info;
        barriers = f->barriers;
    }
    if (gx == 0 || gy == 0 || gz == 0 || bx == 0 || by == 0 || bz == 0 || gy > 65535 || gz > 65535 ||
        gx > 2147483647u || bx > 1024 || by > 1024 || bz > 64 ||
        static_cast<unsigned long long>(bx) * by * bz > 1024 || sharedBytes > 49152) {
        log("cuLaunchKernel(%s): invalid configuration grid (%u,%u,%u) block (%u,%u,%u) shared %u", info->name,
            gx, gy, gz, bx, by, bz, sharedBytes);
        return CUDA_ERROR_INVALID_VALUE;
    }
    if (extra != nullptr) return CUDA_ERROR_NOT_SUPPORTED;
    if (!info->paramSizes.empty() && kernelParams == nullptr) return CUDA_ERROR_INVALID_VALUE;
    for (size_t i = 0; i < info->paramSizes.size(); ++i) {
        if (kernelParams[i] == nullptr) return CUDA_ERROR_INVALID_VALUE;
    }
    TRACE("cuLaunchKernel(%s, grid (%u,%u,%u), block (%u,%u,%u))", info->name, gx, gy, gz, bx, by, bz);
    std::function<void()> thread = info->bind(kernelParams);  // copies the arguments now, as the driver does
    dim3 grid{gx, gy, gz};
    dim3 block{bx, by, bz};
    std::string name = info->name;
    return enqueue(stream, [thread, grid, block, name, barriers] {
        if (st().sticky.load() != CUDA_SUCCESS) return;
        std::string err = lamina_emu::runGrid(thread, grid, block, barriers);
        if (!err.empty()) {
            setSticky(CUDA_ERROR_LAUNCH_FAILED, "kernel " + err);
            return;
        }
        checkGuards(name);
    });
}

// ---------------------------------------------------------------- streams

CUresult cuStreamCreate(void** phStream, unsigned int flags) {
    REQUIRE_CTX();
    if (!phStream || flags > 1u) return CUDA_ERROR_INVALID_VALUE;
    auto* x = new Stream();
    x->flags = flags;
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    s.streams.insert(x);
    *phStream = x;
    return CUDA_SUCCESS;
}

CUresult cuStreamCreateWithPriority(void** phStream, unsigned int flags, int) {
    return cuStreamCreate(phStream, flags);
}

CUresult cuStreamDestroy_v2(void* stream) {
    REQUIRE_INIT();
    State& s = st();
    auto* x = static_cast<Stream*>(stream);
    {
        std::lock_guard<std::recursive_mutex> g(s.lock);
        if (!s.streams.count(x)) return CUDA_ERROR_INVALID_HANDLE;
        s.streams.erase(x);
    }
    x->drain();  // queued work still completes
    delete x;
    return CUDA_SUCCESS;
}

CUresult cuStreamSynchronize(void* stream) {
    REQUIRE_CTX();
    Stream* x;
    if (CUresult r = resolveStream(stream, &x); r != CUDA_SUCCESS) return r;
    if (x->captureStatus != 0) {
        x->captureStatus = 2;
        return CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED;
    }
    if (x == st().legacy) {
        drainAll();
    } else {
        x->drain();
    }
    return st().sticky.load();
}

CUresult cuStreamQuery(void* stream) {
    REQUIRE_CTX();
    Stream* x;
    if (CUresult r = resolveStream(stream, &x); r != CUDA_SUCCESS) return r;
    int sticky = st().sticky.load();
    if (sticky != CUDA_SUCCESS) return sticky;
    return x->idle() ? CUDA_SUCCESS : CUDA_ERROR_NOT_READY;
}

CUresult cuStreamGetFlags(void* stream, unsigned int* flags) {
    REQUIRE_CTX();
    Stream* x;
    if (CUresult r = resolveStream(stream, &x); r != CUDA_SUCCESS) return r;
    if (!flags) return CUDA_ERROR_INVALID_VALUE;
    *flags = x->flags;
    return CUDA_SUCCESS;
}

// ---------------------------------------------------------------- events

CUresult cuEventCreate(void** phEvent, unsigned int flags) {
    REQUIRE_CTX();
    if (!phEvent) return CUDA_ERROR_INVALID_VALUE;
    auto* e = new Event();
    e->flags = flags;
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    s.events.insert(e);
    *phEvent = e;
    return CUDA_SUCCESS;
}

static Event* findEvent(void* h) {
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    auto* e = static_cast<Event*>(h);
    return s.events.count(e) ? e : nullptr;
}

CUresult cuEventDestroy_v2(void* hEvent) {
    REQUIRE_INIT();
    Event* e = findEvent(hEvent);
    if (!e) return CUDA_ERROR_INVALID_HANDLE;
    e->wait();
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    s.events.erase(e);
    delete e;
    return CUDA_SUCCESS;
}

CUresult cuEventRecord(void* hEvent, void* stream) {
    REQUIRE_CTX();
    Event* e = findEvent(hEvent);
    if (!e) return CUDA_ERROR_INVALID_HANDLE;
    {
        std::lock_guard<std::mutex> g(e->lock);
        e->pending = true;
        e->everRecorded = true;
    }
    CUresult r = enqueue(stream, [e] { e->complete(); });
    if (r != CUDA_SUCCESS) e->complete();
    return r;
}

CUresult cuEventRecordWithFlags(void* hEvent, void* stream, unsigned int) {
    return cuEventRecord(hEvent, stream);
}

CUresult cuEventQuery(void* hEvent) {
    REQUIRE_CTX();
    Event* e = findEvent(hEvent);
    if (!e) return CUDA_ERROR_INVALID_HANDLE;
    std::lock_guard<std::mutex> g(e->lock);
    return e->pending ? CUDA_ERROR_NOT_READY : CUDA_SUCCESS;
}

CUresult cuEventSynchronize(void* hEvent) {
    REQUIRE_CTX();
    Event* e = findEvent(hEvent);
    if (!e) return CUDA_ERROR_INVALID_HANDLE;
    e->wait();
    return st().sticky.load();
}

CUresult cuEventElapsedTime(float* ms, void* start, void* end) {
    REQUIRE_CTX();
    if (!ms) return CUDA_ERROR_INVALID_VALUE;
    Event* a = findEvent(start);
    Event* b = findEvent(end);
    if (!a || !b) return CUDA_ERROR_INVALID_HANDLE;
    if ((a->flags & 2u) || (b->flags & 2u)) return CUDA_ERROR_INVALID_HANDLE;  // CU_EVENT_DISABLE_TIMING
    std::lock_guard<std::mutex> ga(a->lock);
    std::lock_guard<std::mutex> gb(b->lock);
    if (!a->everRecorded || !b->everRecorded) return CUDA_ERROR_INVALID_HANDLE;
    if (a->pending || b->pending) return CUDA_ERROR_NOT_READY;
    *ms = std::chrono::duration<float, std::milli>(b->when - a->when).count();
    return CUDA_SUCCESS;
}

CUresult cuStreamWaitEvent(void* stream, void* hEvent, unsigned int) {
    REQUIRE_CTX();
    Event* e = findEvent(hEvent);
    if (!e) return CUDA_ERROR_INVALID_HANDLE;
    return enqueue(stream, [e] { e->wait(); });
}

// ---------------------------------------------------------------- graphs (stream capture)

CUresult cuStreamBeginCapture_v2(void* stream, int mode) {
    REQUIRE_CTX();
    Stream* x;
    if (CUresult r = resolveStream(stream, &x); r != CUDA_SUCCESS) return r;
    if (x == st().legacy) return CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED;  // the legacy stream cannot capture
    if (x->captureStatus != 0) return 401;  // CUDA_ERROR_ILLEGAL_STATE
    x->drain();
    auto* graph = new Graph();
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    s.graphs.insert(graph);
    x->graph = graph;
    x->captureMode = mode;
    x->captureStatus = 1;
    return CUDA_SUCCESS;
}

CUresult cuStreamEndCapture(void* stream, void** phGraph) {
    REQUIRE_CTX();
    if (!phGraph) return CUDA_ERROR_INVALID_VALUE;
    Stream* x;
    if (CUresult r = resolveStream(stream, &x); r != CUDA_SUCCESS) return r;
    if (x->captureStatus == 0) return CUDA_ERROR_INVALID_VALUE;
    bool invalidated = x->captureStatus == 2;
    Graph* graph = x->graph;
    x->captureStatus = 0;
    x->graph = nullptr;
    if (invalidated) {
        State& s = st();
        std::lock_guard<std::recursive_mutex> g(s.lock);
        s.graphs.erase(graph);
        delete graph;
        *phGraph = nullptr;
        return CUDA_ERROR_STREAM_CAPTURE_INVALIDATED;
    }
    *phGraph = graph;
    return CUDA_SUCCESS;
}

CUresult cuStreamIsCapturing(void* stream, int* status) {
    REQUIRE_CTX();
    if (!status) return CUDA_ERROR_INVALID_VALUE;
    Stream* x;
    if (CUresult r = resolveStream(stream, &x); r != CUDA_SUCCESS) return r;
    *status = x->captureStatus;
    return CUDA_SUCCESS;
}

CUresult cuGraphInstantiateWithFlags(void** phExec, void* hGraph, unsigned long long) {
    REQUIRE_CTX();
    if (!phExec) return CUDA_ERROR_INVALID_VALUE;
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    auto* graph = static_cast<Graph*>(hGraph);
    if (!s.graphs.count(graph)) return CUDA_ERROR_INVALID_HANDLE;
    auto* exec = new GraphExec{graph->work};
    s.execs.insert(exec);
    *phExec = exec;
    return CUDA_SUCCESS;
}

CUresult cuGraphLaunch(void* hExec, void* stream) {
    REQUIRE_CTX();
    GraphExec* exec;
    {
        State& s = st();
        std::lock_guard<std::recursive_mutex> g(s.lock);
        exec = static_cast<GraphExec*>(hExec);
        if (!s.execs.count(exec)) return CUDA_ERROR_INVALID_HANDLE;
    }
    auto work = exec->work;  // the launch keeps its own copy
    return enqueue(stream, [work] {
        for (const auto& w : work) w();
    });
}

CUresult cuGraphUpload(void* hExec, void*) {
    REQUIRE_CTX();
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    return s.execs.count(static_cast<GraphExec*>(hExec)) ? CUDA_SUCCESS : CUDA_ERROR_INVALID_HANDLE;
}

CUresult cuGraphExecDestroy(void* hExec) {
    REQUIRE_INIT();
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    auto* exec = static_cast<GraphExec*>(hExec);
    if (!s.execs.erase(exec)) return CUDA_ERROR_INVALID_HANDLE;
    delete exec;
    return CUDA_SUCCESS;
}

CUresult cuGraphDestroy(void* hGraph) {
    REQUIRE_INIT();
    State& s = st();
    std::lock_guard<std::recursive_mutex> g(s.lock);
    auto* graph = static_cast<Graph*>(hGraph);
    if (!s.graphs.erase(graph)) return CUDA_ERROR_INVALID_HANDLE;
    delete graph;
    return CUDA_SUCCESS;
}

// ---------------------------------------------------------------- for the cuBLAS stand-in

int lamina_emu_check_device(unsigned long long p, size_t bytes, const char* what) {
    return checkDevice(p, bytes, what);
}

int lamina_emu_enqueue(void* stream, std::function<void()>* work) {
    if (!st().initialized) return CUDA_ERROR_NOT_INITIALIZED;
    int sticky = st().sticky.load();
    if (sticky != CUDA_SUCCESS) return sticky;
    return enqueue(stream, std::move(*work));
}

}  // extern "C"
