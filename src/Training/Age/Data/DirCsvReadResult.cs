namespace ConR.Training.Age.Data;

/// <summary>The rows of a split file that passed validation, in file order, and why the others were skipped.</summary>
/// <param name="Samples">Valid rows, in file order.</param>
/// <param name="Skipped">One "file:line: reason" message per skipped row (empty unless skipBad).</param>
public sealed record DirCsvReadResult(IReadOnlyList<DirSample> Samples, IReadOnlyList<string> Skipped);
