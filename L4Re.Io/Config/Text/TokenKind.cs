namespace L4Re.Io.Config.Text;

/// <summary>The lexical classes of the io configuration text format.</summary>
internal enum TokenKind : byte
{
    /// <summary>End of input.</summary>
    End,
    /// <summary>End of a statement: a line break or <c>;</c>.</summary>
    Newline,
    /// <summary>A name or keyword: a letter or <c>_</c>, then letters, digits, <c>_</c> or <c>-</c>.</summary>
    Identifier,
    /// <summary>A double-quoted string.</summary>
    String,
    /// <summary>A decimal or <c>0x</c> hexadecimal number (with optional <c>_</c> separators).</summary>
    Number,
    /// <summary><c>{</c></summary>
    LBrace,
    /// <summary><c>}</c></summary>
    RBrace,
    /// <summary><c>=</c></summary>
    Equals,
    /// <summary><c>,</c></summary>
    Comma,
    /// <summary><c>..</c></summary>
    DotDot,
    /// <summary><c>+</c></summary>
    Plus,
}
