namespace L4Re.Io.Config;

/// <summary>One error in an io configuration.</summary>
/// <param name="Code">The kind of error.</param>
/// <param name="Message">What is wrong, naming the elements involved (and the location of a conflicting earlier element).</param>
/// <param name="Location">Where the offending element was defined.</param>
public sealed record ConfigError(ConfigErrorCode Code, string Message, ConfigLocation Location)
{
    /// <inheritdoc />
    public override string ToString() => $"{Location}: error {Code}: {Message}";
}
