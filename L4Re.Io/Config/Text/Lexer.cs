using System.Globalization;
using System.Text;

namespace L4Re.Io.Config.Text;

/// <summary>
/// Splits configuration text into tokens. Comments run from <c>#</c> to the end of the line. Errors
/// are reported as <see cref="ConfigErrorCode.Syntax"/> with the line and column of the offending
/// character.
/// </summary>
internal sealed class Lexer
{
    private readonly string _text;
    private readonly string _source;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    public Lexer(string text, string source)
    {
        _text = text;
        _source = source;
    }

    public List<Token> Tokenize()
    {
        var tokens = new List<Token>();
        while (true)
        {
            var t = Next();
            tokens.Add(t);
            if (t.Kind == TokenKind.End)
                return tokens;
        }
    }

    private Token Next()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c is ' ' or '\t' or '\r' or '\f' or '\v')
                _pos++;
            else if (c == '#')
                while (_pos < _text.Length && _text[_pos] != '\n')
                    _pos++;
            else
                break;
        }
        var line = _line;
        var col = _pos - _lineStart + 1;
        if (_pos >= _text.Length)
            return new Token(TokenKind.End, "", 0, line, col);

        var ch = _text[_pos];
        switch (ch)
        {
            case '\n':
                _pos++;
                _line++;
                _lineStart = _pos;
                return new Token(TokenKind.Newline, "\n", 0, line, col);
            case ';':
                _pos++;
                return new Token(TokenKind.Newline, ";", 0, line, col);
            case '{': _pos++; return new Token(TokenKind.LBrace, "{", 0, line, col);
            case '}': _pos++; return new Token(TokenKind.RBrace, "}", 0, line, col);
            case '=': _pos++; return new Token(TokenKind.Equals, "=", 0, line, col);
            case ',': _pos++; return new Token(TokenKind.Comma, ",", 0, line, col);
            case '+': _pos++; return new Token(TokenKind.Plus, "+", 0, line, col);
            case '.':
                if (_pos + 1 < _text.Length && _text[_pos + 1] == '.')
                {
                    _pos += 2;
                    return new Token(TokenKind.DotDot, "..", 0, line, col);
                }
                throw Error(line, col, "a lone '.' (ranges are written 'start .. end')");
            case '"':
                return ReadString(line, col);
        }
        if (ch is >= '0' and <= '9')
            return ReadNumber(line, col);
        if (ConfigNames.IsIdentifierStart(ch))
        {
            var start = _pos;
            while (_pos < _text.Length && ConfigNames.IsIdentifierPart(_text[_pos]))
                _pos++;
            return new Token(TokenKind.Identifier, _text[start.._pos], 0, line, col);
        }
        throw Error(line, col, $"unexpected character {Show(ch)}");
    }

    private Token ReadString(int line, int col)
    {
        var sb = new StringBuilder();
        _pos++;
        while (true)
        {
            if (_pos >= _text.Length || _text[_pos] == '\n')
                throw Error(line, col, "unterminated string (a string ends with '\"' on the same line)");
            var c = _text[_pos++];
            if (c == '"')
                return new Token(TokenKind.String, sb.ToString(), 0, line, col);
            if (c == '\\')
            {
                var escCol = _pos - _lineStart;
                if (_pos >= _text.Length)
                    throw Error(line, escCol, "unterminated string");
                var e = _text[_pos++];
                sb.Append(e switch
                {
                    '"' => '"',
                    '\\' => '\\',
                    'n' => '\n',
                    't' => '\t',
                    _ => throw Error(line, escCol, $"unknown escape {Show(e)} after '\\' (use \\\" \\\\ \\n or \\t)"),
                });
                continue;
            }
            if (char.IsControl(c) && c != '\t')
                throw Error(line, _pos - _lineStart, $"control character {Show(c)} in a string");
            sb.Append(c);
        }
    }

    private Token ReadNumber(int line, int col)
    {
        var start = _pos;
        var hex = _text[_pos] == '0' && _pos + 1 < _text.Length && _text[_pos + 1] is 'x' or 'X';
        if (hex)
            _pos += 2;
        var digitsStart = _pos;
        while (_pos < _text.Length && (char.IsAsciiHexDigit(_text[_pos]) || _text[_pos] == '_' || char.IsAsciiLetter(_text[_pos])))
            _pos++;
        var raw = _text[start.._pos];
        var digits = _text[digitsStart.._pos].Replace("_", "", StringComparison.Ordinal);
        var style = hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None;
        var valid = digits.Length > 0 && !_text[digitsStart.._pos].StartsWith('_') && !raw.EndsWith('_')
            && (hex ? digits.All(char.IsAsciiHexDigit) : digits.All(char.IsAsciiDigit));
        if (!valid)
            throw Error(line, col, $"malformed number '{raw}' (decimal digits, or 0x and hex digits; '_' only between digits)");
        if (!ulong.TryParse(digits, style, CultureInfo.InvariantCulture, out var value))
            throw Error(line, col, $"number '{raw}' does not fit in 64 bits");
        return new Token(TokenKind.Number, raw, value, line, col);
    }

    private IoConfigException Error(int line, int col, string message) =>
        new(new ConfigError(ConfigErrorCode.Syntax, message, new ConfigLocation(_source, line, col)));

    private static string Show(char c) => char.IsControl(c) || char.IsWhiteSpace(c)
        ? $"U+{(int)c:X4}"
        : $"'{c}'";
}
