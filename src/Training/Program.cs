using ConR.Training.Losses;
using TorchSharp;
var f = torch.randn(8, 4, requires_grad: true);
var y = torch.tensor(new float[] { 1, 1, 2, 5, 5, 9, 3, 3 });
var p = torch.tensor(new float[] { 1, 2, 2, 3, 5, 3, 3, 3 });
var l = ConRLoss.Compute(f, y, p, null, new ConROptions());
l.backward();
Console.WriteLine($"{l.item<float>()} {f.grad!.abs().sum().item<float>()}");
