using System.Buffers.Binary;
using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Regdb;

/// <summary>
/// Decodes regulatory.db version 20, validating it the way the kernel's <c>valid_regdb()</c>,
/// <c>valid_country()</c>, <c>valid_rule()</c> and <c>valid_wmm()</c> do (Linux 6.1 net/wireless/reg.c),
/// plus the checks the kernel only applies later or not at all but that a safe reader needs: every
/// structure lies completely inside the file, the country index ends with its zero entry, every rule passes <c>is_valid_reg_rule()</c>, every country
/// has 1..128 rules (<c>is_valid_rd()</c>), only known flag bits and DFS regions, alpha2 codes are two
/// ASCII letters or digits and appear once. Any violation throws <see cref="RegulatoryDataException"/>
/// and nothing is returned.
/// </summary>
public static class RegulatoryDbReader
{
    /// <summary>Decodes and validates <paramref name="image"/>.</summary>
    /// <exception cref="RegulatoryDataException">The image is not a valid regulatory.db.</exception>
    public static RegulatoryDatabase Read(ReadOnlySpan<byte> image)
    {
        if (image.Length < RegulatoryDbFormat.HeaderSize)
            throw Error($"file of {image.Length} bytes is shorter than the {RegulatoryDbFormat.HeaderSize}-byte header", 0);
        var magic = BinaryPrimitives.ReadUInt32BigEndian(image);
        if (magic != RegulatoryDbFormat.Magic)
            throw Error($"bad magic 0x{magic:x8} (expected 0x{RegulatoryDbFormat.Magic:x8}, \"RGDB\")", 0);
        var version = BinaryPrimitives.ReadUInt32BigEndian(image[4..]);
        if (version != RegulatoryDbFormat.Version)
            throw Error($"unsupported version {version} (expected {RegulatoryDbFormat.Version})", 4);

        var collections = new Dictionary<int, (DfsRegion Dfs, RegRule[] Rules)>();
        var rules = new Dictionary<int, RegRule>();
        var wmms = new Dictionary<int, WmmRule>();
        var countries = new List<RegDomain>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        // valid_regdb(): walk the index while a whole entry fits; a zero coll_ptr ends it. The kernel accepts an index
        // that runs to the end of the file, but query_regdb() then walks past it looking for the zero entry, so we
        // require the terminator.
        var terminated = false;
        for (var at = RegulatoryDbFormat.HeaderSize; at + RegulatoryDbFormat.CountrySize <= image.Length; at += RegulatoryDbFormat.CountrySize)
        {
            var collPtr = BinaryPrimitives.ReadUInt16BigEndian(image[(at + 2)..]);
            if (collPtr == 0)
            {
                terminated = true;
                break;
            }
            var alpha2 = string.Create(2, (image[at], image[at + 1]), (s, b) => { s[0] = (char)b.Item1; s[1] = (char)b.Item2; });
            if (!RegDomain.IsAlpha2(alpha2))
                throw Error($"country code 0x{image[at]:x2}{image[at + 1]:x2} is not two ASCII letters or digits", at);
            if (!seen.Add(alpha2))
                throw Error($"country {alpha2} appears twice in the index", at);
            var offset = collPtr << 2;
            if (!collections.TryGetValue(offset, out var coll))
            {
                coll = ReadCollection(image, offset, alpha2, rules, wmms);
                collections.Add(offset, coll);
            }
            countries.Add(new RegDomain(alpha2, coll.Dfs, coll.Rules));
        }
        if (!terminated)
            throw Error("the country index is not terminated by a zero entry", image.Length);
        return new RegulatoryDatabase(countries);
    }

    private static (DfsRegion, RegRule[]) ReadCollection(ReadOnlySpan<byte> image, int offset, string alpha2,
        Dictionary<int, RegRule> rules, Dictionary<int, WmmRule> wmms)
    {
        // valid_country(): len and n_rules must be readable ...
        if (offset + 2 > image.Length)
            throw Error($"collection of country {alpha2} lies outside the file", offset);
        var len = image[offset];
        var n = image[offset + 1];
        // ... the base struct (aligned to 2) and all rule pointers must fit ...
        var pointers = offset + ((len + 1) & ~1);
        if (pointers + (n * 2) > image.Length)
            throw Error($"collection of country {alpha2} ({n} rules) runs past the end of the file", offset);
        // ... and the mandatory fields must exist.
        if (len < RegulatoryDbFormat.CollectionMinLength)
            throw Error($"collection of country {alpha2} has length {len} (< {RegulatoryDbFormat.CollectionMinLength})", offset);
        var dfs = image[offset + 2];
        if (dfs > (byte)DfsRegion.Jp)
            throw Error($"collection of country {alpha2} has unknown DFS region {dfs}", offset + 2);
        // is_valid_rd(): at least one and at most NL80211_MAX_SUPP_REG_RULES rules.
        if (n is 0 or > RegDomain.MaxRules)
            throw Error($"country {alpha2} has {n} rules (1..{RegDomain.MaxRules} allowed)", offset + 1);
        var list = new RegRule[n];
        for (var i = 0; i < n; i++)
        {
            var rulePtr = BinaryPrimitives.ReadUInt16BigEndian(image[(pointers + (2 * i))..]);
            var ruleOffset = rulePtr << 2;
            if (!rules.TryGetValue(ruleOffset, out var rule))
            {
                rule = ReadRule(image, ruleOffset, alpha2, wmms);
                rules.Add(ruleOffset, rule);
            }
            list[i] = rule;
        }
        return ((DfsRegion)dfs, list);
    }

    private static RegRule ReadRule(ReadOnlySpan<byte> image, int offset, string alpha2, Dictionary<int, WmmRule> wmms)
    {
        // valid_rule(): len must be readable and cover the mandatory fields; we also require the whole
        // rule inside the file (the kernel reads the mandatory fields without checking).
        if (offset + 1 > image.Length)
            throw Error($"rule of country {alpha2} lies outside the file", offset);
        var len = image[offset];
        if (len < RegulatoryDbFormat.RuleMinLength)
            throw Error($"rule of country {alpha2} has length {len} (< {RegulatoryDbFormat.RuleMinLength})", offset);
        if (offset + len > image.Length)
            throw Error($"rule of country {alpha2} (length {len}) runs past the end of the file", offset);
        var r = image.Slice(offset, len);
        var flags = r[1];
        if ((flags & ~(int)RegRuleFlagNames.All) != 0)
            throw Error($"rule of country {alpha2} has unknown flag bits 0x{flags & ~(int)RegRuleFlagNames.All:x2}", offset + 1);
        var eirp = BinaryPrimitives.ReadUInt16BigEndian(r[2..]);
        var start = BinaryPrimitives.ReadUInt32BigEndian(r[4..]);
        var end = BinaryPrimitives.ReadUInt32BigEndian(r[8..]);
        var maxBw = BinaryPrimitives.ReadUInt32BigEndian(r[12..]);
        uint cacMs = 0;
        if (len >= RegulatoryDbFormat.RuleLengthWithCac)
            cacMs = 1000u * BinaryPrimitives.ReadUInt16BigEndian(r[16..]);
        WmmRule? wmm = null;
        if (len >= RegulatoryDbFormat.RuleLengthWithWmm)
        {
            var wmmOffset = BinaryPrimitives.ReadUInt16BigEndian(r[18..]) << 2;
            if (!wmms.TryGetValue(wmmOffset, out wmm))
            {
                wmm = ReadWmm(image, wmmOffset, alpha2);
                wmms.Add(wmmOffset, wmm);
            }
        }
        var rule = new RegRule(start, end, maxBw, eirp, (RegRuleFlags)flags, cacMs, wmm);
        if (!rule.IsValid)
            throw Error($"rule {rule} of country {alpha2} is invalid (needs 0 < start < end, max bandwidth <= end - start)", offset);
        return rule;
    }

    private static WmmRule ReadWmm(ReadOnlySpan<byte> image, int offset, string alpha2)
    {
        if (offset + RegulatoryDbFormat.WmmRuleSize > image.Length)
            throw Error($"WMM rule of country {alpha2} runs past the end of the file", offset);
        var acs = new WmmAc[8];
        for (var i = 0; i < acs.Length; i++)
        {
            var at = offset + (4 * i);
            var ecw = image[at];
            var cwMin = WmmAc.EcwToCw(ecw >> 4);
            var cwMax = WmmAc.EcwToCw(ecw & 0xf);
            var aifsn = image[at + 1];
            // valid_wmm(): cw_min < cw_max and aifsn >= 1 for every access category.
            if (cwMin >= cwMax)
                throw Error($"WMM rule of country {alpha2}: {WmmRule.EntryNames[i]} has cw_min {cwMin} >= cw_max {cwMax}", at);
            if (aifsn < 1)
                throw Error($"WMM rule of country {alpha2}: {WmmRule.EntryNames[i]} has aifsn 0", at + 1);
            acs[i] = new WmmAc(cwMin, cwMax, aifsn, BinaryPrimitives.ReadUInt16BigEndian(image[(at + 2)..]));
        }
        return new WmmRule(acs.AsSpan(0, 4).ToArray(), acs.AsSpan(4, 4).ToArray());
    }

    private static RegulatoryDataException Error(string message, long offset) =>
        new(RegulatoryDataSource.RegulatoryDb, message, offset: offset);
}
