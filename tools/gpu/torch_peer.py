#!/usr/bin/env python3
"""PyTorch on the same GPU, as the peer of gpu-check's speed phase.

Same three reference models, same batches, same steps per epoch (8) and the same timing rule
(one warm-up epoch, then whole epochs until 0.5 s have passed, synchronised at each epoch's end),
so the rows sit beside gpu-check's "Training step" table. Also SGEMM n x n x n in float32 with
TF32 off, as gpu-check measures ours. Plain eager PyTorch: what a user writes.

    python3 tools/gpu/torch_peer.py            # prints a markdown table
"""
import time

import torch
import torch.nn as nn

STEPS = 8
BATCHES = (128, 1024, 4096)


def model(letter):
    if letter == "a":
        net = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 1))
        return net, 8, torch.optim.SGD(net.parameters(), lr=0.01), nn.MSELoss(), 0
    if letter == "b":
        net = nn.Sequential(nn.Linear(8, 512), nn.Linear(512, 512), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 1))
        return net, 8, torch.optim.Adam(net.parameters(), lr=0.001), nn.MSELoss(), 0
    # softmax + sparse categorical cross-entropy is CrossEntropyLoss on the logits
    net = nn.Sequential(nn.Linear(784, 512), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
    return net, 784, torch.optim.Adam(net.parameters(), lr=0.001), nn.CrossEntropyLoss(), 10


def step_seconds(letter, batch, device):
    torch.manual_seed(7)
    net, inputs, opt, loss_fn, classes = model(letter)
    net.to(device)
    # the optimizer was made before .to(); parameters are moved in place, so it still holds them
    rows = batch * STEPS
    x = torch.randn(rows, inputs, device=device)
    y = x[:, :10].argmax(dim=1) if classes else x.sum(dim=1, keepdim=True)

    def epoch():
        order = torch.randperm(rows, device=device)
        total = torch.zeros((), device=device)
        for s in range(STEPS):
            idx = order[s * batch:(s + 1) * batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(x[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.detach()
        return total.item()  # one host sync per epoch, as a progress report needs

    epoch()
    epochs = 0
    start = time.perf_counter()
    while epochs < 50 and time.perf_counter() - start < 0.5:
        epoch()
        epochs += 1
    return (time.perf_counter() - start) / (epochs * STEPS)


def sgemm_tflops(n):
    torch.backends.cuda.matmul.allow_tf32 = False
    a = torch.rand(n, n, device="cuda") * 2 - 1
    c = a @ a
    torch.cuda.synchronize()
    calls = 0
    start = time.perf_counter()
    while calls < 3 or time.perf_counter() - start < 0.3:
        c = a @ a
        calls += 1
        if calls % 4 == 0:
            torch.cuda.synchronize()
    torch.cuda.synchronize()
    return 2.0 * n ** 3 * calls / (time.perf_counter() - start) / 1e12


def main():
    print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, device {torch.cuda.get_device_name(0)}")
    print()
    print("| n | PyTorch SGEMM TFLOP/s (TF32 off) |")
    print("|---|---|")
    for n in (1024, 2048, 4096, 8192):
        print(f"| {n} | {sgemm_tflops(n):.3g} |")
    print()
    print("| model | batch | PyTorch GPU ms/step | PyTorch GPU samples/s |")
    print("|---|---|---|---|")
    for letter in "abc":
        for batch in BATCHES:
            s = step_seconds(letter, batch, "cuda")
            print(f"| {letter} | {batch} | {s * 1e3:.3f} | {batch / s:.0f} |", flush=True)


if __name__ == "__main__":
    main()
