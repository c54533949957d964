namespace L4Re.Io.Config.Text;

/// <summary>One token with its position (1-based line and column).</summary>
internal readonly record struct Token(TokenKind Kind, string Text, ulong Number, int Line, int Column)
{
    public string Describe() => Kind switch
    {
        TokenKind.End => "end of input",
        TokenKind.Newline => Text == ";" ? "';'" : "end of line",
        TokenKind.Identifier => $"'{Text}'",
        TokenKind.String => $"string \"{Text}\"",
        TokenKind.Number => $"number {Text}",
        _ => $"'{Text}'",
    };
}
