// Executes kernels compiled for the CPU: the grid's blocks are spread over a pool of OS threads;
// within a block each CUDA thread is a fiber (own stack, switched by a small x86-64 routine), and
// __syncthreads switches back to the block's scheduler, which releases the barrier once every live
// thread of the block has arrived. A block with no barrier costs two switches per CUDA thread.
#include <sys/mman.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "emu.h"

thread_local uint3 threadIdx LAMINA_TLS_IE;
thread_local uint3 blockIdx LAMINA_TLS_IE;
thread_local dim3 blockDim LAMINA_TLS_IE;
thread_local dim3 gridDim LAMINA_TLS_IE;

extern "C" void lamina_ctx_switch(void** save, void* to);

// Saves the callee-saved registers of the System V x86-64 ABI on the current stack, stores the
// stack pointer in *save, switches to `to` and restores what was saved there.
asm(R"(
    .pushsection .text
    .globl lamina_ctx_switch
    .hidden lamina_ctx_switch
    .type lamina_ctx_switch, @function
lamina_ctx_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size lamina_ctx_switch, .-lamina_ctx_switch
    .popsection
)");

namespace lamina_emu {
namespace {

constexpr size_t kStackBytes = 256 * 1024;
constexpr size_t kGuardBytes = 4096;

struct Stack {
    char* base = nullptr;  // lowest usable address (above the guard page)
};

struct FiberState {
    void* sp = nullptr;
    Stack stack;
    bool started = false;
    bool done = false;
    uint3 tid{0, 0, 0};
};

// Per OS thread: the block being run.
struct BlockScheduler {
    bool inFiber = false;
    void* schedulerSp = nullptr;
    FiberState* current = nullptr;
    const std::function<void()>* thread = nullptr;
    std::vector<FiberState> fibers;
    std::vector<Stack> freeStacks;
    std::string error;

    Stack takeStack() {
        if (!freeStacks.empty()) {
            Stack s = freeStacks.back();
            freeStacks.pop_back();
            return s;
        }
        void* p = mmap(nullptr, kStackBytes + kGuardBytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
        if (p == MAP_FAILED) {
            std::fprintf(stderr, "lamina emulator: cannot map a fiber stack\n");
            std::abort();
        }
        mprotect(p, kGuardBytes, PROT_NONE);  // stacks grow down into the guard page
        return Stack{static_cast<char*>(p) + kGuardBytes};
    }

    void giveStack(Stack s) { freeStacks.push_back(s); }
};

// A plain pointer: no constructor, so no TLS initialisation wrapper on each access.
thread_local BlockScheduler* schedulerOfThisThread LAMINA_TLS_IE = nullptr;

BlockScheduler& scheduler() {
    BlockScheduler* s = schedulerOfThisThread;
    if (s == nullptr) {
        s = new BlockScheduler();  // one per OS thread that ever runs a block, kept for reuse
        schedulerOfThisThread = s;
    }
    return *s;
}

[[noreturn]] void fiberEntry() {
    BlockScheduler& sched = scheduler();
    (*sched.thread)();
    sched.current->done = true;
    lamina_ctx_switch(&sched.current->sp, sched.schedulerSp);
    std::abort();  // a finished fiber is never resumed
}

void startFiber(BlockScheduler& sched, FiberState& f) {
    f.stack = sched.takeStack();
    auto top = reinterpret_cast<uintptr_t>(f.stack.base + kStackBytes) & ~uintptr_t(15);
    auto* sp = reinterpret_cast<void**>(top);
    *--sp = nullptr;                                     // fake return address of fiberEntry
    *--sp = reinterpret_cast<void*>(&fiberEntry);        // where lamina_ctx_switch's ret goes
    for (int i = 0; i < 6; ++i) *--sp = nullptr;         // rbp rbx r12 r13 r14 r15
    f.sp = sp;
    f.started = true;
}

void runBlock(BlockScheduler& sched, const std::function<void()>& thread, uint3 block, dim3 grid, dim3 dims,
              bool barriers) {
    blockIdx = block;
    gridDim = grid;
    blockDim = dims;
    sched.thread = &thread;
    const unsigned count = dims.x * dims.y * dims.z;
    if (!barriers) {
        // No barrier in the kernel's PTX: its threads are independent, so plain calls will do.
        sched.inFiber = false;
        for (unsigned t = 0; t < count; ++t) {
            threadIdx = uint3{t % dims.x, (t / dims.x) % dims.y, t / (dims.x * dims.y)};
            thread();
        }
        return;
    }
    sched.inFiber = true;
    sched.fibers.assign(count, FiberState{});
    for (unsigned t = 0; t < count; ++t) {
        sched.fibers[t].tid = uint3{t % dims.x, (t / dims.x) % dims.y, t / (dims.x * dims.y)};
    }
    unsigned live = count;
    // Between two barriers the threads of a block run one after another. The order alternates with
    // the round and the block (ascending, descending), so that a missing __syncthreads shows up:
    // a thread reading shared memory that another thread writes in the same phase sees the old
    // value in one order and the new one in the other, and one of them disagrees with the reference.
    unsigned long long linear = block.x + static_cast<unsigned long long>(grid.x) * (block.y + static_cast<unsigned long long>(grid.y) * block.z);
    for (unsigned round = 0; live > 0; ++round) {
        const bool descending = ((linear + round) & 1u) != 0;
        // One round: every live thread runs until it reaches a barrier or finishes.
        for (unsigned i = 0; i < count; ++i) {
            const unsigned t = descending ? count - 1 - i : i;
            FiberState& f = sched.fibers[t];
            if (f.done) continue;
            if (!f.started) startFiber(sched, f);
            threadIdx = f.tid;
            sched.current = &f;
            lamina_ctx_switch(&sched.schedulerSp, f.sp);
            if (f.done) {
                sched.giveStack(f.stack);
                --live;
            }
        }
        // Every live thread now waits at a barrier (threads that have exited count as arrived,
        // as on current hardware); the next round releases them.
    }
}

// ---------------------------------------------------------------- the pool of block runners

struct Job {
    const std::function<void()>* thread;
    bool barriers;
    dim3 grid;
    dim3 block;
    unsigned long long blocks;
    std::atomic<unsigned long long> next{0};
    std::atomic<unsigned long long> finished{0};
    std::mutex errorLock;
    std::string error;
};

void work(Job& job) {
    for (;;) {
        unsigned long long b = job.next.fetch_add(1);
        if (b >= job.blocks) return;
        uint3 idx{static_cast<unsigned>(b % job.grid.x), static_cast<unsigned>((b / job.grid.x) % job.grid.y),
                  static_cast<unsigned>(b / (static_cast<unsigned long long>(job.grid.x) * job.grid.y))};
        BlockScheduler& sched = scheduler();
        sched.error.clear();
        runBlock(sched, *job.thread, idx, job.grid, job.block, job.barriers);
        if (!sched.error.empty()) {
            std::lock_guard<std::mutex> g(job.errorLock);
            if (job.error.empty()) job.error = sched.error;
        }
        job.finished.fetch_add(1);
    }
}

class Pool {
public:
    Pool() {
        unsigned n = std::thread::hardware_concurrency();
        if (const char* env = std::getenv("LAMINA_EMU_THREADS")) n = static_cast<unsigned>(std::atoi(env));
        if (n < 1) n = 1;
        for (unsigned i = 1; i < n; ++i) {  // the launching thread works too
            std::thread([this] { loop(); }).detach();
        }
        helpers_ = n - 1;
    }

    void run(Job& job) {
        if (helpers_ > 0 && job.blocks > 1) {
            {
                std::lock_guard<std::mutex> g(lock_);
                job_ = &job;
                ++generation_;
            }
            wake_.notify_all();
            work(job);
            // Wait for the helpers to finish the blocks they took, then retire the job.
            std::unique_lock<std::mutex> g(lock_);
            done_.wait(g, [&] { return job.finished.load() == job.blocks && active_ == 0; });
            job_ = nullptr;
        } else {
            work(job);
        }
    }

private:
    void loop() {
        unsigned long long seen = 0;
        for (;;) {
            Job* job;
            {
                std::unique_lock<std::mutex> g(lock_);
                wake_.wait(g, [&] { return generation_ != seen && job_ != nullptr; });
                seen = generation_;
                job = job_;
                ++active_;
            }
            work(*job);
            {
                std::lock_guard<std::mutex> g(lock_);
                --active_;
            }
            done_.notify_all();
        }
    }

    std::mutex lock_;
    std::condition_variable wake_;
    std::condition_variable done_;
    Job* job_ = nullptr;
    unsigned long long generation_ = 0;
    unsigned active_ = 0;
    unsigned helpers_ = 0;
};

Pool& pool() {
    static Pool* p = new Pool();  // never destroyed: helpers are detached
    return *p;
}

}  // namespace

std::string runGrid(const std::function<void()>& thread, dim3 grid, dim3 block, bool barriers) {
    static std::mutex oneGridAtATime;  // streams run on their own threads and share the pool
    std::lock_guard<std::mutex> g(oneGridAtATime);
    Job job;
    job.thread = &thread;
    job.barriers = barriers;
    job.grid = grid;
    job.block = block;
    job.blocks = static_cast<unsigned long long>(grid.x) * grid.y * grid.z;
    pool().run(job);
    return job.error;
}

}  // namespace lamina_emu

extern "C" void lamina_emu_syncthreads() {
    lamina_emu::BlockScheduler& sched = lamina_emu::scheduler();
    if (!sched.inFiber) {
        std::fprintf(stderr, "lamina emulator: __syncthreads in a kernel whose PTX has no barrier "
                             "(the PTX is not from this lamina.cu)\n");
        std::abort();
    }
    lamina_ctx_switch(&sched.current->sp, sched.schedulerSp);
}

extern "C" void lamina_emu_kernel_error(const char* kernel, const char* what) {
    lamina_emu::BlockScheduler& sched = lamina_emu::scheduler();
    if (sched.error.empty()) {
        sched.error = std::string(kernel) + ": " + what;
    }
}
