using System.Diagnostics;
using System.Globalization;
using TorchSharp;

namespace ConR.Training.Engine;

/// <summary>
/// The epoch loop every task trains with: seed, resume from the last checkpoint (or start fresh), then per epoch the
/// schedule's learning rate, the task's steps with a progress line and the divergence guard, the task's val scores,
/// best-on-val, an atomic checkpoint and the epoch line. A resumed run reproduces an uninterrupted one bit for bit, as
/// long as the task's steps depend only on the seed, the epoch and the step.
/// </summary>
/// <remarks>A task's trainer derives from it to bind the task to its data (see AgeTrainer, DepthTrainer).</remarks>
/// <typeparam name="TScore">The task's val scores of one epoch.</typeparam>
/// <typeparam name="TRecord">The task's entry in state.json's history.</typeparam>
public class EpochDriver<TScore, TRecord>(TrainingOptions options, RunDirectory run, TextWriter log)
{
    /// <summary>Where the resume, epoch and progress lines go.</summary>
    protected TextWriter Log { get; } = log;

    /// <summary>Raised after each epoch's checkpoint is committed.</summary>
    public event Action<RunState<TRecord>>? EpochCompleted;

    /// <summary>
    /// Trains to the configured epoch count. Cancelling stops before the next step, like a kill: the epoch in progress
    /// is discarded and --resume repeats it from the last checkpoint.
    /// </summary>
    /// <param name="open">Builds the task (its model, optimiser and anything they draw from torch's generator), after the seed is set.</param>
    /// <param name="resume">Continue from the run folder's last checkpoint; without it a folder that holds one is refused.</param>
    /// <param name="cancellation">Stops the run at the next step.</param>
    public RunState<TRecord> Train(Func<ITrainingTask<TScore, TRecord>> open, bool resume, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(open);
        torch.manual_seed(options.Seed);
        using var task = open();
        var resumed = TrainingCheckpoints.Resume<TRecord>(run, resume, task.Model, task.Optimizer, task.BestEpoch.Name, task.LoadExtra);
        var state = resumed ?? new RunState<TRecord> { BestMetric = task.BestEpoch.Name };
        if (resumed is not null)
            Log.WriteLine($"Resuming after epoch {state.CompletedEpochs} (best {task.BestEpoch.Label} {state.BestValue:F3} at epoch {state.BestEpoch}).");
        task.Start(resumed is not null);

        var progress = new ProgressLine(Log);
        for (int epoch = state.CompletedEpochs; epoch < options.Epochs; epoch++)
        {
            double lr = LearningRateSchedule.At(options.Schedule, options.LearningRate, epoch, options.Epochs);
            foreach (var group in task.Optimizer.ParamGroups) group.LearningRate = lr;
            var watch = Stopwatch.StartNew();
            var trained = RunSteps(task, epoch, progress, cancellation);
            var score = task.FinishEpoch(epoch);
            double seconds = watch.Elapsed.TotalSeconds;
            var totals = new EpochTotals(epoch + 1, lr, trained.Regression, trained.ConR, seconds, trained.Images / seconds, trained.WaitFraction);
            double value = task.BestEpoch.Of(score);
            bool best = value < state.BestValue;
            state = state with
            {
                CompletedEpochs = epoch + 1,
                BestEpoch = best ? epoch + 1 : state.BestEpoch,
                BestValue = best ? value : state.BestValue,
                History = [.. state.History, task.Record(totals, score)],
                TotalTrainSeconds = state.TotalTrainSeconds + seconds,
            };
            TrainingCheckpoints.CommitEpoch(run, epoch + 1, best, task.Model, task.Optimizer, state, task.SaveExtra);
            progress.Done();
            Log.WriteLine($"epoch {epoch + 1}/{options.Epochs}  L_R {Loss(task, trained.Regression)}  L_ConR {Loss(task, trained.ConR)}{task.Describe(score)}{(best ? " (best)" : "")}  " +
                          $"{totals.ImagesPerSecond:F0} img/s  data wait {trained.WaitFraction:P0}  {seconds:F0} s");
            EpochCompleted?.Invoke(state);
            cancellation.ThrowIfCancellationRequested();
        }
        return state;
    }

    private Trained RunSteps(ITrainingTask<TScore, TRecord> task, int epoch, ProgressLine progress, CancellationToken cancellation)
    {
        using var steps = task.StartEpoch(epoch);
        var context = new StepContext(run, options.ExplodeFactor, epoch, steps.Count);
        double sumRegression = 0, sumConR = 0;
        long images = 0;
        var watch = Stopwatch.StartNew();
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            StepLosses? next;
            using (CollectionFreeStep.Open()) next = steps.Next(context);
            if (next is not { } losses) break;
            sumRegression += losses.Regression;
            sumConR += losses.ConR;
            images += losses.Images;
            context.Step++;
            int done = context.Step;
            double rate = images / watch.Elapsed.TotalSeconds;
            double epochsLeft = options.Epochs - epoch - ((double)done / steps.Count);
            var eta = TimeSpan.FromSeconds(epochsLeft * steps.Count * losses.Images / Math.Max(rate, 1e-9));
            progress.Report($"epoch {epoch + 1}/{options.Epochs} step {done}/{steps.Count}  L_R {Loss(task, sumRegression / done)}  L_ConR {Loss(task, sumConR / done)}  " +
                            $"{rate:F0} img/s  data wait {steps.DataWait.TotalSeconds / watch.Elapsed.TotalSeconds:P0}  ETA {ProgressLine.Eta(eta)}");
        }
        int count = Math.Max(context.Step, 1);
        return new Trained(sumRegression / count, sumConR / count, images, steps.DataWait.TotalSeconds / watch.Elapsed.TotalSeconds);
    }

    private static string Loss(ITrainingTask<TScore, TRecord> task, double value) => value.ToString(task.LossFormat, CultureInfo.CurrentCulture);

    private readonly record struct Trained(double Regression, double ConR, long Images, double WaitFraction);
}
