using ConR.Shared.ModelPackage;

namespace ConR.Shared.Tests.ModelPackage;

public sealed class ModelNamesTests
{
    [Theory]
    [InlineData("age")]
    [InlineData("depth")]
    [InlineData("age-resnet18_conr.v2")]
    [InlineData("7")]
    public void FolderAndRouteSafeNames_AreValid(string name)
    {
        Assert.True(ModelNames.IsValid(name));
        Assert.Null(ModelNames.Problem(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("age\nx")]
    [InlineData("age\n")]
    [InlineData("../age")]
    [InlineData(".hidden")]
    [InlineData("-age")]
    [InlineData("Age")]
    [InlineData("age model")]
    [InlineData("âge")]
    public void AnythingElse_IsRefused_SayingWhatIsAllowed(string? name)
    {
        Assert.False(ModelNames.IsValid(name));
        Assert.Contains("lowercase letters, digits", ModelNames.Problem(name), StringComparison.Ordinal);
    }

    [Fact]
    public void LongestName_IsSixtyFourCharacters()
    {
        Assert.True(ModelNames.IsValid(new string('a', ModelNames.MaxLength)));
        Assert.False(ModelNames.IsValid(new string('a', ModelNames.MaxLength + 1)));
    }
}
