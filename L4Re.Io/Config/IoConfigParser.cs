using L4Re.Io.Config.Text;

namespace L4Re.Io.Config;

/// <summary>
/// Parses the io configuration text format (documented with its grammar and examples in
/// docs/io.md). Every failure — malformed text or values — is an <see cref="IoConfigException"/>
/// whose errors carry the source name, line and column; no other exception escapes for any input.
/// </summary>
public static class IoConfigParser
{
    /// <summary>The longest text accepted (4 MiB characters); configurations are small.</summary>
    public const int MaxLength = 4 << 20;

    /// <summary>Parses <paramref name="text"/>; <paramref name="source"/> names it in error locations.</summary>
    /// <exception cref="IoConfigException">The text is not a valid configuration.</exception>
    public static IoConfig Parse(string text, string source = "config")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        if (text.Length > MaxLength)
            throw new IoConfigException(new ConfigError(ConfigErrorCode.Syntax,
                $"configuration is {text.Length} characters long, more than the limit of {MaxLength}", new ConfigLocation(source, 1, 1)));
        var tokens = new Lexer(text, source).Tokenize();
        return new Parser(tokens, source).ParseFile();
    }

    /// <summary>Parses <paramref name="text"/> without throwing; on failure <paramref name="errors"/> lists every error found.</summary>
    public static bool TryParse(string text, string source, out IoConfig? config, out IReadOnlyList<ConfigError> errors)
    {
        try
        {
            config = Parse(text, source);
            errors = [];
            return true;
        }
        catch (IoConfigException e)
        {
            config = null;
            errors = e.Errors;
            return false;
        }
    }
}
