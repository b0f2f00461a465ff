using ConR.Shared.ModelPackage;

namespace ConR.Recalibrate;

/// <summary>The tool from end to end: arguments, recalibration, exit code (see <see cref="RecalibrateArguments.Usage"/>).</summary>
internal static class RecalibrateCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var (arguments, problem) = RecalibrateArguments.Parse(args);
        if (arguments is null)
        {
            (problem is null ? output : error).WriteLine(problem ?? RecalibrateArguments.Usage);
            return problem is null ? 0 : 2;
        }

        try
        {
            Recalibrator.Run(arguments, output);
            return 0;
        }
        catch (RecalibrationRefusedException ex)
        {
            error.WriteLine($"Refused: {ex.Message}");
            return 1;
        }
        catch (ModelCardException ex)
        {
            error.WriteLine($"Refused: the new card would not validate: {ex.Message}");
            return 1;
        }
        catch (RecalibrationInputException ex)
        {
            error.WriteLine(ex.Message);
            return 2;
        }
    }
}
