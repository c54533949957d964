namespace L4Re.Io.Config;

/// <summary>
/// The one exception parsing or loading an io configuration throws for bad input. It carries every
/// error found (each with its location); a configuration that raises it has changed nothing.
/// </summary>
public sealed class IoConfigException : Exception
{
    /// <summary>Creates the exception for <paramref name="errors"/> (at least one).</summary>
    public IoConfigException(IReadOnlyList<ConfigError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception for one error.</summary>
    public IoConfigException(ConfigError error)
        : this([error])
    {
    }

    /// <summary>Every error, in the order found.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    private static string Describe(IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
            throw new ArgumentException("an IoConfigException needs at least one error", nameof(errors));
        return errors.Count == 1
            ? errors[0].ToString()
            : $"{errors.Count} configuration errors:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}";
    }
}
