using ConR.Training.Depth.Synth;

namespace ConR.Training.Tests.Depth.Synth;

public class SynthDepthOptionsTests
{
    [Theory]
    [InlineData("128x96", 128, 96)]
    [InlineData("64X48", 64, 48)]
    [InlineData(" 320x240 ", 320, 240)]
    public void ParseSize_WidthXHeight_ReturnsBoth(string text, int width, int height)
    {
        Assert.Equal((width, height), SynthDepthGenerator.ParseSize(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("128")]
    [InlineData("128x")]
    [InlineData("x96")]
    [InlineData("128x96x3")]
    [InlineData("128*96")]
    [InlineData("-128x96")]
    [InlineData("12.5x96")]
    [InlineData("abcx96")]
    public void ParseSize_Malformed_ThrowsFormatExceptionNamingTheFormat(string text)
    {
        var ex = Assert.Throws<FormatException>(() => SynthDepthGenerator.ParseSize(text));
        Assert.Contains("WIDTHxHEIGHT", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4x96")]
    [InlineData("128x5000")]
    public void ParseSize_OutOfRange_ThrowsFormatExceptionNamingTheRange(string text)
    {
        var ex = Assert.Throws<FormatException>(() => SynthDepthGenerator.ParseSize(text));
        Assert.Contains("[8, 4096]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_Passes()
    {
        var options = new SynthDepthOptions("out", 10, 128, 96, 0);

        options.Validate();

        Assert.Equal(0.8, options.TrainFraction);
        Assert.Equal(0.1, options.ValFraction);
        Assert.Equal(-1, options.MaxDegreeOfParallelism);
    }

    [Theory]
    [InlineData("", 10, 128, 96, 0.8, 0.1, -1, "OutputDir")]
    [InlineData("out", 0, 128, 96, 0.8, 0.1, -1, "Count")]
    [InlineData("out", 10, 7, 96, 0.8, 0.1, -1, "width")]
    [InlineData("out", 10, 128, 5000, 0.8, 0.1, -1, "height")]
    [InlineData("out", 10, 128, 96, 1.1, 0.0, -1, "TrainFraction")]
    [InlineData("out", 10, 128, 96, 0.8, -0.1, -1, "ValFraction")]
    [InlineData("out", 10, 128, 96, 0.8, 0.3, -1, "ValFraction")]
    [InlineData("out", 10, 128, 96, double.NaN, 0.1, -1, "TrainFraction")]
    [InlineData("out", 10, 128, 96, 0.8, 0.1, 0, "MaxDegreeOfParallelism")]
    public void Validate_BadSetting_ThrowsNamingIt(
        string dir, int count, int width, int height, double train, double val, int threads, string param)
    {
        var options = new SynthDepthOptions(dir, count, width, height, 0, train, val) { MaxDegreeOfParallelism = threads };

        var ex = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Equal(param, ex.ParamName);
    }

    [Theory]
    [InlineData(10, 0.8, 0.1, 8, 1, 1)]
    [InlineData(20000, 0.8, 0.1, 16000, 2000, 2000)]
    [InlineData(7, 0.8, 0.1, 6, 1, 0)]
    [InlineData(5, 1.0, 0.0, 5, 0, 0)]
    [InlineData(3, 0.0, 0.0, 0, 0, 3)]
    public void SplitCounts_Fractions_RoundedTrainAndValRestIsTest(int count, double train, double val, int eTrain, int eVal, int eTest)
    {
        var options = new SynthDepthOptions("out", count, 16, 16, 0, train, val);

        Assert.Equal((eTrain, eVal, eTest), options.SplitCounts());
    }
}
