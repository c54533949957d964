namespace L4Re.Io.Vbus;

/// <summary>
/// A compiled HID glob with the semantics io uses for hardware ids: <c>fnmatch(pattern, hid, 0)</c>
/// (kernkonzept/io <c>io/server/src/device.h</c>, <c>Generic_device::match_cid</c>). <c>*</c> matches
/// any run of characters (including <c>/</c>), <c>?</c> one character, <c>[abc]</c>, <c>[a-z]</c> and
/// <c>[!x]</c> (or <c>[^x]</c>) a character class, <c>\c</c> the character c. Unlike fnmatch, an
/// unterminated <c>[</c> or a trailing <c>\</c> is a pattern error rather than a literal.
/// Matching is case-sensitive and allocation-free.
/// </summary>
public sealed class HidGlob
{
    private readonly Element[] _elements;
    private readonly (char Lo, char Hi)[] _ranges;

    private HidGlob(string pattern, Element[] elements, (char Lo, char Hi)[] ranges)
    {
        Pattern = pattern;
        _elements = elements;
        _ranges = ranges;
    }

    /// <summary>The pattern text.</summary>
    public string Pattern { get; }

    /// <summary>Compiles <paramref name="pattern"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryCompile(string pattern, out HidGlob? glob, out string? error)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        glob = null;
        var elements = new List<Element>();
        var ranges = new List<(char, char)>();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    if (elements.Count == 0 || elements[^1].Kind != Kind.Star)
                        elements.Add(new Element(Kind.Star, '\0', 0, 0, false));
                    break;
                case '?':
                    elements.Add(new Element(Kind.One, '\0', 0, 0, false));
                    break;
                case '\\':
                    if (i + 1 >= pattern.Length)
                    {
                        error = $"glob '{pattern}' ends in a lone '\\'";
                        return false;
                    }
                    elements.Add(new Element(Kind.Literal, pattern[++i], 0, 0, false));
                    break;
                case '[':
                    var open = i;
                    var j = i + 1;
                    var negated = j < pattern.Length && pattern[j] is '!' or '^';
                    if (negated)
                        j++;
                    var first = ranges.Count;
                    var atStart = true;
                    while (true)
                    {
                        if (j >= pattern.Length)
                        {
                            error = $"glob '{pattern}' has an unterminated '[' at offset {open}";
                            return false;
                        }
                        if (pattern[j] == ']' && !atStart)
                            break;
                        atStart = false;
                        if (!ClassChar(pattern, ref j, out var lo))
                        {
                            error = $"glob '{pattern}' ends in a lone '\\'";
                            return false;
                        }
                        var hi = lo;
                        if (j + 1 < pattern.Length && pattern[j] == '-' && pattern[j + 1] != ']')
                        {
                            j++;
                            if (!ClassChar(pattern, ref j, out hi))
                            {
                                error = $"glob '{pattern}' ends in a lone '\\'";
                                return false;
                            }
                            if (hi < lo)
                            {
                                error = $"glob '{pattern}' has a reversed range '{lo}-{hi}' in the class at offset {open}";
                                return false;
                            }
                        }
                        ranges.Add((lo, hi));
                    }
                    elements.Add(new Element(Kind.Class, '\0', first, ranges.Count - first, negated));
                    i = j;
                    break;
                default:
                    elements.Add(new Element(Kind.Literal, c, 0, 0, false));
                    break;
            }
        }
        glob = new HidGlob(pattern, [.. elements], [.. ranges]);
        error = null;
        return true;
    }

    /// <summary>Reads one (possibly escaped) class character at <paramref name="j"/> and moves past it.</summary>
    private static bool ClassChar(string pattern, ref int j, out char c)
    {
        c = pattern[j++];
        if (c != '\\')
            return true;
        if (j >= pattern.Length)
            return false;
        c = pattern[j++];
        return true;
    }

    /// <summary>Compiles <paramref name="pattern"/>.</summary>
    /// <exception cref="ArgumentException">The pattern is malformed.</exception>
    public static HidGlob Compile(string pattern) =>
        TryCompile(pattern, out var glob, out var error) ? glob! : throw new ArgumentException(error, nameof(pattern));

    /// <summary>True when <paramref name="text"/> matches the whole pattern.</summary>
    public bool IsMatch(ReadOnlySpan<char> text)
    {
        // Iterative matching with one backtrack point for the last '*' (linear for patterns with one star,
        // O(n·m) worst case, no recursion, no allocation).
        int p = 0, t = 0, starP = -1, starT = -1;
        while (t < text.Length)
        {
            if (p < _elements.Length && _elements[p].Kind == Kind.Star)
            {
                starP = p++;
                starT = t;
                continue;
            }
            if (p < _elements.Length && Accepts(_elements[p], text[t]))
            {
                p++;
                t++;
                continue;
            }
            if (starP < 0)
                return false;
            p = starP + 1;
            t = ++starT;
        }
        while (p < _elements.Length && _elements[p].Kind == Kind.Star)
            p++;
        return p == _elements.Length;
    }

    private bool Accepts(in Element e, char c)
    {
        switch (e.Kind)
        {
            case Kind.Literal:
                return e.Char == c;
            case Kind.One:
                return true;
            case Kind.Class:
                var hit = false;
                for (var k = e.First; k < e.First + e.Count && !hit; k++)
                    hit = c >= _ranges[k].Lo && c <= _ranges[k].Hi;
                return hit != e.Negated;
            default:
                return false;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Pattern;

    private enum Kind : byte { Literal, One, Star, Class }

    private readonly record struct Element(Kind Kind, char Char, int First, int Count, bool Negated);
}
