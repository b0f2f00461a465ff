using ConR.Training.Cli;

return ConRTrainCli.Build().Parse(args).Invoke();
