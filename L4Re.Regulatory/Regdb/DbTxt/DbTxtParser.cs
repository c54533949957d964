using System.Globalization;
using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Regdb.DbTxt;

/// <summary>
/// Parses wireless-regdb's db.txt: the grammar of upstream's dbparse.py (read there, written anew here).
/// Spaces and tabs are insignificant and <c>#</c> starts a comment. Statements:
/// <list type="bullet">
/// <item><c>wmmrule NAME[,NAME…]:</c> followed by the eight lines <c>vo_c … bk_ap: cw_min=N, cw_max=N, aifsn=N, cot=N</c>;
/// a blank line or the next statement ends the block.</item>
/// <item><c>country AA[,BB…]: [DFS-FCC|DFS-ETSI|DFS-JP]</c> followed by rule lines
/// <c>(START - END [@ BW]), (POWER)[, FLAG…][, wmmrule=NAME]</c> until the next statement.</item>
/// <item><c>band NAME: START - END [@ BW]</c> and <c>power NAME: POWER</c> define names a rule can use instead of the
/// parenthesised forms.</item>
/// </list>
/// POWER is dBm, <c>N mW</c> or <c>N/A</c>. Differences from dbparse.py, all stricter: numbers must be plain decimals
/// (optionally with an exponent), the checks of the kernel's <c>is_valid_reg_rule()</c> (bandwidth ≤ range) and of
/// <c>valid_wmm()</c> (cw_min &lt; cw_max) are applied, a WMM block must name all eight access categories once,
/// <c>wmmrule</c> always starts a block, a country repeated with another DFS region or a name defined twice is an error.
/// Errors throw <see cref="RegulatoryDataException"/> with the 1-based line.
/// </summary>
public static class DbTxtParser
{
    /// <summary>Parses db.txt text.</summary>
    /// <exception cref="RegulatoryDataException">The text is not valid db.txt.</exception>
    public static DbTxtDocument Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return Parse(reader);
    }

    /// <summary>Parses db.txt from a reader.</summary>
    /// <exception cref="RegulatoryDataException">The text is not valid db.txt.</exception>
    public static DbTxtDocument Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new State().Run(reader);
    }

    private sealed class State
    {
        private readonly Dictionary<string, (double Start, double End, double Bw)> _bands = new(StringComparer.Ordinal);
        private readonly Dictionary<string, DbTxtPower> _powers = new(StringComparer.Ordinal);
        private readonly List<KeyValuePair<string, WmmRule>> _wmm = [];
        private readonly Dictionary<string, (DfsRegion Dfs, List<DbTxtRule> Rules, int Line)> _countries = new(StringComparer.Ordinal);
        private List<string>? _currentCountries;
        private WmmBlock? _currentWmm;
        private int _line;

        public DbTxtDocument Run(TextReader reader)
        {
            while (reader.ReadLine() is { } raw)
            {
                _line++;
                var stripped = raw.Trim();
                if (stripped.Length == 0)
                {
                    EndWmmBlock();
                    continue;
                }
                var hash = stripped.IndexOf('#', StringComparison.Ordinal);
                var content = hash >= 0 ? stripped[..hash] : stripped;
                var line = content.Replace(" ", "", StringComparison.Ordinal).Replace("\t", "", StringComparison.Ordinal);
                if (line.Length == 0)
                    continue;
                if (line.StartsWith("country", StringComparison.Ordinal))
                {
                    EndWmmBlock();
                    ParseCountry(line[7..]);
                }
                else if (line.StartsWith("wmmrule", StringComparison.Ordinal))
                {
                    EndWmmBlock();
                    _currentCountries = null;
                    ParseWmmHeader(line[7..]);
                }
                else if (line.StartsWith("band", StringComparison.Ordinal))
                {
                    EndWmmBlock();
                    _currentCountries = null;
                    ParseNamed(line[4..], "band", def => _bands.TryAdd(def.Name, ParseBand(def.Value)));
                }
                else if (line.StartsWith("power", StringComparison.Ordinal))
                {
                    EndWmmBlock();
                    _currentCountries = null;
                    ParseNamed(line[5..], "power", def => _powers.TryAdd(def.Name, ParsePower(def.Value)));
                }
                else if (_currentCountries is not null)
                {
                    ParseRule(line);
                }
                else if (_currentWmm is not null)
                {
                    ParseWmmItem(line);
                }
                else
                {
                    throw Error("expected a band, power, wmmrule or country definition");
                }
            }
            EndWmmBlock();
            var countries = _countries.Select(kv => new DbTxtCountry(kv.Key, kv.Value.Dfs, kv.Value.Rules, kv.Value.Line));
            return new DbTxtDocument(_wmm, countries);
        }

        private void ParseNamed(string rest, string keyword, Func<(string Name, string Value), bool> define)
        {
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
                throw Error($"{keyword} name must be followed by a colon");
            var name = rest[..colon];
            if (name.Length == 0)
                throw Error($"'{keyword}' keyword must be followed by a name");
            if (DbTxtFlagNames.TryParse(name, out _))
                throw Error($"invalid {keyword} name '{name}' (it is a flag)");
            if (!define((name, rest[(colon + 1)..])))
                throw Error($"{keyword} '{name}' is defined twice");
        }

        private void ParseCountry(string rest)
        {
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
                throw Error("country name must be followed by a colon");
            var names = rest[..colon];
            if (names.Length == 0)
                throw Error("'country' keyword must be followed by a name");
            var dfsText = rest[(colon + 1)..];
            var dfs = dfsText switch
            {
                "" => DfsRegion.Unset,
                "DFS-FCC" => DfsRegion.Fcc,
                "DFS-ETSI" => DfsRegion.Etsi,
                "DFS-JP" => DfsRegion.Jp,
                _ => throw Error($"unknown DFS region '{dfsText}' (DFS-FCC, DFS-ETSI or DFS-JP)"),
            };
            _currentCountries = [];
            foreach (var name in names.Split(','))
            {
                if (!RegDomain.IsAlpha2(name))
                    throw Error($"country '{name}' is not two upper-case ASCII letters or digits");
                if (_countries.TryGetValue(name, out var existing))
                {
                    if (existing.Dfs != dfs)
                        throw Error($"country {name} was defined on line {existing.Line} with another DFS region");
                }
                else
                {
                    _countries.Add(name, (dfs, [], _line));
                }
                _currentCountries.Add(name);
            }
        }

        private void ParseRule(string line)
        {
            (double Start, double End, double Bw) band;
            string rest;
            if (line[0] == '(')
            {
                var close = line.IndexOf("),", 1, StringComparison.Ordinal);
                if (close < 0)
                    throw Error("badly parenthesised band definition");
                band = ParseBand(line[1..close]);
                rest = line[(close + 2)..];
            }
            else
            {
                var comma = line.IndexOf(',', StringComparison.Ordinal);
                if (comma < 0)
                    throw Error("country definition must have band and power");
                var bandName = line[..comma];
                if (bandName.Length == 0)
                    throw Error("country definition must have a band");
                if (!_bands.TryGetValue(bandName, out band))
                    throw Error($"band '{bandName}' does not exist");
                rest = line[(comma + 1)..];
            }
            if (rest.Length == 0)
                throw Error("country definition must have a power");

            DbTxtPower power;
            string[] flagTexts;
            if (rest[0] == '(')
            {
                var close = rest.IndexOf("),", StringComparison.Ordinal);
                if (close < 0)
                {
                    if (rest[^1] != ')')
                        throw Error("badly parenthesised power definition");
                    power = ParsePower(rest[1..^1]);
                    flagTexts = [];
                }
                else
                {
                    power = ParsePower(rest[1..close]);
                    flagTexts = rest[(close + 2)..].Split(',');
                }
            }
            else
            {
                var parts = rest.Split(',');
                if (!_powers.TryGetValue(parts[0], out power))
                    throw Error($"power '{parts[0]}' does not exist");
                flagTexts = parts[1..];
            }

            var flags = DbTxtRuleFlags.None;
            WmmRule? wmm = null;
            for (var i = 0; i < flagTexts.Length; i++)
            {
                var f = flagTexts[i];
                if (i == flagTexts.Length - 1 && f.StartsWith("wmmrule=", StringComparison.Ordinal))
                {
                    var region = f["wmmrule=".Length..];
                    var found = _wmm.FindIndex(kv => kv.Key == region);
                    if (found < 0)
                        throw Error($"no wmm rule for '{region}'");
                    wmm = _wmm[found].Value;
                }
                else if (DbTxtFlagNames.TryParse(f, out var flag))
                {
                    flags |= flag;
                }
                else
                {
                    throw Error($"invalid flag '{f}'");
                }
            }

            var rule = new DbTxtRule(band.Start, band.End, band.Bw, power, flags, wmm);
            foreach (var name in _currentCountries!)
            {
                var rules = _countries[name].Rules;
                if (!rules.Contains(rule))
                    rules.Add(rule);
            }
        }

        private (double Start, double End, double Bw) ParseBand(string text)
        {
            double bw = 20;
            var freqs = text;
            var at = text.IndexOf('@', StringComparison.Ordinal);
            if (at >= 0)
            {
                freqs = text[..at];
                bw = ParseNumber(text[(at + 1)..], "bandwidth");
            }
            var dash = freqs.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0 || freqs.IndexOf('-', dash + 1) >= 0)
                throw Error("band must have a frequency range START - END");
            var start = ParseNumber(freqs[..dash], "start frequency");
            var end = ParseNumber(freqs[(dash + 1)..], "end frequency");
            // Checks of dbparse.py and of the kernel's is_valid_reg_rule(), on the stored kHz values.
            var startKhz = DbTxtRule.ToKhz(start);
            var endKhz = DbTxtRule.ToKhz(end);
            if (startKhz == 0)
                throw Error($"invalid start frequency ({Format(start)} MHz)");
            if (end * 1000.0 >= uint.MaxValue)
                throw Error($"end frequency {Format(end)} MHz does not fit 32 bits of kHz");
            if (start > end)
                throw Error($"inverted frequency range ({Format(start)} - {Format(end)})");
            if (endKhz <= startKhz)
                throw Error($"start and end frequencies are equal ({Format(start)})");
            if (bw <= 0 || DbTxtRule.ToKhz(bw) == 0)
                throw Error($"invalid bandwidth ({Format(bw)} MHz)");
            if (DbTxtRule.ToKhz(bw) > endKhz - startKhz)
                throw Error($"bandwidth {Format(bw)} MHz is larger than the range {Format(start)} - {Format(end)}");
            return (start, end, bw);
        }

        private DbTxtPower ParsePower(string text)
        {
            DbTxtPower p;
            if (text == "N/A")
                p = new DbTxtPower(0, PowerUnit.NotApplicable);
            else if (text.EndsWith("mW", StringComparison.Ordinal))
            {
                var mw = ParseNumber(text[..^2], "power");
                if (mw <= 0)
                    throw Error($"invalid power data ({Format(mw)} mW)");
                p = new DbTxtPower(mw, PowerUnit.MilliWatt);
            }
            else
                p = new DbTxtPower(ParseNumber(text, "power"), PowerUnit.Dbm);
            if (p.Dbm < 0 || p.Dbm * 100.0 > ushort.MaxValue)
                throw Error($"power {Format(p.Dbm)} dBm is outside 0 to 655.35 dBm");
            return p;
        }

        private double ParseNumber(string text, string what)
        {
            if (!IsDecimal(text) || !double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                    CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                throw Error($"invalid {what} '{text}'");
            return value;
        }

        private void ParseWmmHeader(string rest)
        {
            if (!rest.EndsWith(':'))
                throw Error("wmmrule region list must end with a colon");
            var names = rest[..^1];
            if (names.Length == 0)
                throw Error("'wmmrule' keyword must be followed by a region");
            var regions = names.Split(',');
            foreach (var r in regions)
            {
                if (r.Length == 0 || r.IndexOfAny([':', '=', '(', ')']) >= 0)
                    throw Error($"invalid wmm region name '{r}'");
                if (_wmm.Exists(kv => kv.Key == r))
                    throw Error($"wmm rule '{r}' is defined twice");
            }
            _currentWmm = new WmmBlock(regions, _line);
        }

        private void ParseWmmItem(string line)
        {
            var parts = line.Split(':');
            if (parts.Length != 2)
                throw Error("access category must be followed by a colon");
            var index = IndexOf(WmmRule.EntryNames, parts[0]);
            if (index < 0)
                throw Error($"unknown access category '{parts[0]}' (vo_c, vi_c, be_c, bk_c, vo_ap, vi_ap, be_ap, bk_ap)");
            if (_currentWmm!.Entries[index] is not null)
                throw Error($"access category {parts[0]} is given twice");
            string[] keys = ["cw_min", "cw_max", "aifsn", "cot"];
            var items = parts[1].Split(',');
            if (items.Length != keys.Length)
                throw Error("expected cw_min=N, cw_max=N, aifsn=N, cot=N");
            var values = new int[keys.Length];
            for (var i = 0; i < keys.Length; i++)
            {
                var kv = items[i].Split('=');
                if (kv.Length != 2 || kv[0] != keys[i])
                    throw Error($"expected {keys[i]}=N, found '{items[i]}'");
                if (kv[1].Length is 0 or > 6 || !kv[1].All(char.IsAsciiDigit))
                    throw Error($"invalid {keys[i]} value '{kv[1]}'");
                values[i] = int.Parse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture);
            }
            var (cwMin, cwMax, aifsn, cot) = (values[0], values[1], values[2], values[3]);
            // dbparse.py _validate_input()/_validate_size(), and valid_wmm()'s cw_min < cw_max.
            if (cwMin < 1)
                throw Error($"invalid cw_min value ({cwMin})");
            if (cwMin >= cwMax)
                throw Error($"cw_min {cwMin} must be smaller than cw_max {cwMax}");
            if (!WmmAc.IsContentionWindow(cwMin))
                throw Error($"invalid cw_min value, should be a power of 2 minus 1 below 2^15 ({cwMin})");
            if (!WmmAc.IsContentionWindow(cwMax))
                throw Error($"invalid cw_max value, should be a power of 2 minus 1 below 2^15 ({cwMax})");
            if (aifsn is < 1 or > byte.MaxValue)
                throw Error($"invalid aifsn value ({aifsn})");
            if (cot > ushort.MaxValue)
                throw Error($"invalid cot value ({cot})");
            _currentWmm.Entries[index] = new WmmAc((ushort)cwMin, (ushort)cwMax, (byte)aifsn, (ushort)cot);
        }

        private void EndWmmBlock()
        {
            if (_currentWmm is not { } block)
                return;
            _currentWmm = null;
            var missing = WmmRule.EntryNames.Where((_, i) => block.Entries[i] is null).ToArray();
            if (missing.Length > 0)
                throw new RegulatoryDataException(RegulatoryDataSource.DbTxt,
                    $"wmmrule {string.Join(',', block.Regions)} lacks access categories {string.Join(", ", missing)}", block.Line);
            var entries = block.Entries.Select(e => e!.Value).ToArray();
            var rule = new WmmRule(entries[..4], entries[4..]);
            foreach (var r in block.Regions)
                _wmm.Add(new(r, rule));
        }

        private RegulatoryDataException Error(string message) => new(RegulatoryDataSource.DbTxt, message, _line);

        private static int IndexOf(IReadOnlyList<string> list, string value)
        {
            for (var i = 0; i < list.Count; i++)
                if (list[i] == value)
                    return i;
            return -1;
        }

        private static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);

        private sealed class WmmBlock(string[] regions, int line)
        {
            public string[] Regions { get; } = regions;
            public int Line { get; } = line;
            public WmmAc?[] Entries { get; } = new WmmAc?[8];
        }
    }

    /// <summary>digits[.digits][e[+-]digits] or .digits…: plain decimals, as Python's float() reads them (no inf/nan/_).</summary>
    private static bool IsDecimal(string s)
    {
        var i = 0;
        var digits = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; digits++; }
        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; digits++; }
        }
        if (digits == 0)
            return false;
        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            i++;
            if (i < s.Length && (s[i] == '+' || s[i] == '-'))
                i++;
            var exp = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; exp++; }
            if (exp == 0)
                return false;
        }
        return i == s.Length;
    }
}
