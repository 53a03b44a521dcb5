"""Writes src/cnn/fixtures/resnet-small.safetensors: the weights, inputs and outputs of two
small torchvision-layout ResNets (basic and bottleneck blocks), for the parity test in
src/cnn/resnet-pytorch.test.ts.

The model classes below follow torchvision.models.resnet (v0.2x) exactly — conv1 7x7/2 pad 3,
bn1, relu, maxpool 3x3/2 pad 1, layer1..4, adaptive average pool, fc; BasicBlock and the
"v1.5" Bottleneck with the stride on the 3x3; downsample = 1x1 conv + BN — written out so the
script needs torch only.

Run with the CPU wheel of PyTorch (torch 2.13) and safetensors:
    /tmp/venv/bin/python packages/models/scripts/resnet_fixture.py
Keys: "<model>.state.<torch name>" (torch layouts: OIHW conv weights, [out, in] linear),
"<model>.input" (NCHW), "<model>.eval_logits", "<model>.eval_features",
"<model>.train_logits" (batch statistics), "<model>.train_running_mean.<bn name>" after the
training-mode pass.
"""
import os

import torch
import torch.nn as nn
from safetensors.torch import save_file


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        return self.relu(out + identity)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        return self.relu(out + identity)


class ResNet(nn.Module):
    def __init__(self, block, layers, width, num_classes):
        super().__init__()
        self.inplanes = width
        self.conv1 = nn.Conv2d(3, width, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = self._make_layer(block, width, layers[0])
        self.layer2 = self._make_layer(block, width * 2, layers[1], 2)
        self.layer3 = self._make_layer(block, width * 4, layers[2], 2)
        self.layer4 = self._make_layer(block, width * 8, layers[3], 2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(width * 8 * block.expansion, num_classes)

    def _make_layer(self, block, planes, blocks, stride=1):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(
                nn.Conv2d(self.inplanes, planes * block.expansion, 1, stride, bias=False),
                nn.BatchNorm2d(planes * block.expansion),
            )
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        for _ in range(1, blocks):
            layers.append(block(self.inplanes, planes))
        return nn.Sequential(*layers)

    def features(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return torch.flatten(self.avgpool(x), 1)

    def forward(self, x):
        return self.fc(self.features(x))


def main():
    torch.manual_seed(0)
    out = {}
    configs = {
        "basic": (BasicBlock, [1, 1, 1, 1], 4, 5),
        "bottleneck": (Bottleneck, [1, 1, 1, 1], 2, 5),
    }
    for name, (block, layers, width, classes) in configs.items():
        model = ResNet(block, layers, width, classes)
        # Non-trivial batch-norm parameters and statistics, so inference mode tests them.
        with torch.no_grad():
            for m in model.modules():
                if isinstance(m, nn.BatchNorm2d):
                    m.weight.uniform_(0.5, 1.5)
                    m.bias.uniform_(-0.2, 0.2)
                    m.running_mean.uniform_(-0.2, 0.2)
                    m.running_var.uniform_(0.5, 1.5)
        # Odd spatial sizes exercise PyTorch's symmetric padding at every stride-2 step.
        x = torch.randn(2, 3, 35, 33)
        for k, v in model.state_dict().items():
            if k.endswith("num_batches_tracked"):
                continue
            out[f"{name}.state.{k}"] = v.detach().clone().float().contiguous()
        model.eval()
        with torch.no_grad():
            out[f"{name}.input"] = x.contiguous()
            out[f"{name}.eval_logits"] = model(x).contiguous()
            out[f"{name}.eval_features"] = model.features(x).contiguous()
            model.train()
            out[f"{name}.train_logits"] = model(x).contiguous()
            out[f"{name}.train_running_mean.layer4.0.bn1"] = model.layer4[0].bn1.running_mean.clone().contiguous()
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "src", "cnn", "fixtures", "resnet-small.safetensors")
    save_file(out, path, metadata={"generator": "packages/models/scripts/resnet_fixture.py", "torch": torch.__version__})
    print(path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
