namespace PrplRouter;

/// <summary>One thing the story must show, and whether the run showed it.</summary>
/// <param name="Name">What is expected.</param>
/// <param name="Met">Whether it happened.</param>
/// <param name="Detail">What was observed.</param>
public sealed record Expectation(string Name, bool Met, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"[{(Met ? " ok " : "FAIL")}] {Name}: {Detail}";
}
