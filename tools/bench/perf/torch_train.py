"""Worker of tools/bench/perf.ts: trains one task with PyTorch and prints its throughput.

    python tools/bench/perf/torch_train.py --task lstm --threads 2 --warmup 2 --repeats 3 --budget-ms 3000

The same five tasks as tools/bench/perf/tasks.ts (Tensorloom) and tfjs-tasks.ts
(tfjs-layers): same architectures, shapes, batch, Adam 1e-3, softmax cross-entropy from
logits on one synthetic batch, 2 warm-up steps, then timed repeats of as many steps as fit
in the budget. Prints one line: PERF-RESULT {json}.
"""

import argparse
import json
import resource
import time

import torch
from torch import nn


class BasicBlock(nn.Module):
    """CIFAR ResNet block: conv3x3-BN-relu-conv3x3-BN plus the input (1x1 conv + BN when downsampling)."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout, momentum=0.1)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout, momentum=0.1)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout, momentum=0.1))

    def forward(self, x):
        h = torch.relu(self.bn1(self.conv1(x)))
        h = self.bn2(self.conv2(h))
        return torch.relu(h + (x if self.shortcut is None else self.shortcut(x)))


class ResNet20(nn.Module):
    def __init__(self):
        super().__init__()
        layers = [nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()]
        cin = 16
        for stage, cout in enumerate([16, 32, 64]):
            for block in range(3):
                layers.append(BasicBlock(cin, cout, 2 if stage > 0 and block == 0 else 1))
                cin = cout
        self.body = nn.Sequential(*layers)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        return self.fc(self.body(x).mean(dim=(2, 3)))


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.AvgPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.AvgPool2d(2), nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
        )

    def forward(self, x):
        return self.net(x)


class LSTMClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(28, 128, batch_first=True)
        self.fc = nn.Linear(128, 10)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.fc(h[-1])


class Transformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = nn.TransformerEncoderLayer(128, 4, 512, dropout=0.0, activation='relu', batch_first=True, norm_first=False)
        self.fc = nn.Linear(128, 10)

    def forward(self, x):
        return self.fc(self.block(x).mean(dim=1))


# Inputs in PyTorch's layout (NCHW for images); the others use NHWC, the same sizes.
TASKS = {
    'mlp': (lambda: nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)), 64, (784,)),
    'lenet': (LeNet5, 64, (1, 28, 28)),
    'lstm': (LSTMClassifier, 64, (28, 28)),
    'transformer': (Transformer, 32, (64, 128)),
    'resnet20': (ResNet20, 64, (3, 32, 32)),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--task', choices=sorted(TASKS), required=True)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--budget-ms', type=float, default=3000)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    make, batch, shape = TASKS[args.task]
    model = make()
    model.train()
    x = torch.randn(batch, *shape)
    y = torch.randint(0, 10, (batch,))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        value = loss.item()
        if value != value:
            raise RuntimeError(f'loss {value}')

    for _ in range(args.warmup):
        step()
    result = {'samplesPerSec': [], 'samplesPerCpuSec': [], 'steps': []}
    for _ in range(args.repeats):
        cpu0, t0, steps = time.process_time(), time.perf_counter(), 0
        while True:
            step()
            steps += 1
            if (time.perf_counter() - t0) * 1000 >= args.budget_ms:
                break
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        result['samplesPerSec'].append(steps * batch / wall)
        result['samplesPerCpuSec'].append(steps * batch / cpu)
        result['steps'].append(steps)
    result['peakRssMb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result['torch'] = torch.__version__
    print('PERF-RESULT ' + json.dumps(result), flush=True)


if __name__ == '__main__':
    main()
