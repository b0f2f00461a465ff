using ConR.Training.Engine;

namespace ConR.Training.Tests.Engine;

public class CsvFieldsTests
{
    [Theory]
    [InlineData("a,b,c", new[] { "a", "b", "c" })]
    [InlineData(" a , \"b\" ,", new[] { "a", "b", "" })]
    [InlineData("\"say \"\"hi\"\"\",x", new[] { "say \"hi\"", "x" })]
    [InlineData("\"1,2\",x", new[] { "1,2", "x" })]
    public void Split_QuotedAndPlainFields_AreUnquotedAndTrimmed(string line, string[] expected)
    {
        Assert.Equal(expected, CsvFields.Split(line));
    }

    [Fact]
    public void Split_AnUnterminatedQuote_IsNull()
    {
        Assert.Null(CsvFields.Split("\"a,b"));
    }
}
