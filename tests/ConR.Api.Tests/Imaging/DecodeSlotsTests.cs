using ConR.Api.Imaging;
using ConR.Api.Options;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace ConR.Api.Tests.Imaging;

/// <summary>At most MaxConcurrentDecodes images are decoded at once; the rest wait their turn, and 0 lifts the limit.</summary>
public sealed class DecodeSlotsTests
{
    [Fact]
    public async Task EnterAsync_AllSlotsHeld_WaitsUntilOneIsReleased()
    {
        using var reader = new ImageReader(MsOptions.Create(new InferenceOptions { MaxConcurrentDecodes = 2 }));
        var first = await reader.EnterAsync(CancellationToken.None);
        var second = await reader.EnterAsync(CancellationToken.None);

        var third = reader.EnterAsync(CancellationToken.None).AsTask();
        await Task.Delay(100);
        Assert.False(third.IsCompleted);

        first.Dispose();
        using (await third.WaitAsync(TimeSpan.FromSeconds(10)))
        {
        }

        second.Dispose();
    }

    [Fact]
    public async Task EnterAsync_RequestAbortedWhileWaiting_StopsWaitingAndTakesNoSlot()
    {
        using var reader = new ImageReader(MsOptions.Create(new InferenceOptions { MaxConcurrentDecodes = 1 }));
        var held = await reader.EnterAsync(CancellationToken.None);
        using var aborted = new CancellationTokenSource();

        var waiting = reader.EnterAsync(aborted.Token).AsTask();
        await aborted.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held.Dispose();
        using (await reader.EnterAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10)))
        {
        }
    }

    [Fact]
    public async Task EnterAsync_Unlimited_NeverWaits()
    {
        using var reader = new ImageReader(MsOptions.Create(new InferenceOptions { MaxConcurrentDecodes = 0 }));

        var slots = new List<CpuSlot>();
        for (var i = 0; i < 100; i++)
        {
            var entering = reader.EnterAsync(CancellationToken.None);
            Assert.True(entering.IsCompletedSuccessfully);
            slots.Add(await entering);
        }

        slots.ForEach(slot => slot.Dispose());
    }
}
