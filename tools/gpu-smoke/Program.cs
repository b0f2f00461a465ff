using ConR.GpuSmoke;

// Loads every bundled model package through the API's own loader on the chosen device, checks its outputs against
// the CPU provider and prints throughput; the exit code says whether it passed (SmokeCommand).
return SmokeCommand.Run(args, Console.Out, Console.Error);
