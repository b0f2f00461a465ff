namespace ConR.Deploy.Tests.Support.Kustomize;

/// <summary>A test that needs <c>kubectl</c> (its built-in kustomize); skipped, saying so, where it is not installed.</summary>
internal sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (Processes.Which("kubectl") is null)
        {
            Skip = "kubectl is not on PATH (Debian 12's kubernetes-client is 1.20, whose kustomize predates 'labels' and 'patches'); the test renderer is checked against it where it is installed.";
        }
    }
}
