// The deploy tests run Linux programs (bash, setpriv, the linux-x64 publish): they are Linux tests by nature.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
