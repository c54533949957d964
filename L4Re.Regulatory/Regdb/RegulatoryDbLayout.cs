using System.Buffers.Binary;
using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Regdb;

/// <summary>
/// The file layout wireless-regdb's db2fw.py produces (read from upstream's db2fw.py, rewritten here):
/// header; country index sorted by alpha2 and ended by four zero bytes; every distinct WMM rule, sorted;
/// every distinct rule, sorted, each padded to 4 bytes; every distinct (rules, DFS region) collection,
/// sorted, each followed by its be16 rule pointers padded to an even count. Countries with the same
/// collection share it. The rule type is generic so that the db.txt compiler can sort and de-duplicate on
/// the source values exactly as dbparse.py does, while <see cref="RegulatoryDbWriter"/> uses the binary values.
/// </summary>
internal static class RegulatoryDbLayout
{
    internal sealed record Country<TRule>(string Alpha2, DfsRegion Dfs, IReadOnlyList<TRule> Rules);

    internal static byte[] Write<TRule>(IReadOnlyList<Country<TRule>> countries, IComparer<TRule> order,
        IEqualityComparer<TRule> equality, Func<TRule, RegRule> encode)
        where TRule : notnull
    {
        var byName = countries.OrderBy(c => c.Alpha2, StringComparer.Ordinal).ToArray();

        var rules = countries.SelectMany(c => c.Rules).Distinct(equality).Order(order).ToArray();
        var encoded = rules.Select(encode).ToArray();

        var collectionOrder = new CollectionComparer<TRule>(order);
        var collectionEquality = new CollectionEquality<TRule>(equality);
        var collections = countries.Select(c => new Collection<TRule>(c.Rules, c.Dfs))
            .Distinct(collectionEquality).Order(collectionOrder).ToArray();

        var wmms = encoded.Where(r => r.Wmm is not null).Select(r => r.Wmm!).Distinct().Order().ToArray();

        using var output = new MemoryStream();
        WriteBe32(output, RegulatoryDbFormat.Magic);
        WriteBe32(output, RegulatoryDbFormat.Version);

        var countryPointerAt = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var c in byName)
        {
            output.WriteByte((byte)c.Alpha2[0]);
            output.WriteByte((byte)c.Alpha2[1]);
            countryPointerAt[c.Alpha2] = output.Position;
            WriteBe16(output, 0);
        }
        output.Write([0, 0, 0, 0]);

        var wmmPointer = new Dictionary<WmmRule, int>();
        foreach (var w in wmms)
        {
            wmmPointer[w] = Pointer(output.Position);
            foreach (var ac in w.Entries)
            {
                output.WriteByte(ac.Ecw);
                output.WriteByte(ac.Aifsn);
                WriteBe16(output, ac.CotMilliseconds);
            }
        }

        var rulePointer = new Dictionary<TRule, int>(equality);
        for (var i = 0; i < rules.Length; i++)
        {
            rulePointer[rules[i]] = Pointer(output.Position);
            WriteRule(output, encoded[i], wmmPointer);
        }

        foreach (var coll in collections)
        {
            var here = Pointer(output.Position);
            foreach (var c in countries)
                if (collectionEquality.Equals(coll, new Collection<TRule>(c.Rules, c.Dfs)))
                    Patch(output, countryPointerAt[c.Alpha2], here);
            output.WriteByte(RegulatoryDbFormat.CollectionMinLength);
            output.WriteByte(checked((byte)coll.Rules.Count));
            output.WriteByte((byte)coll.Dfs);
            output.WriteByte(0);
            foreach (var r in coll.Rules)
                WriteBe16(output, (ushort)rulePointer[r]);
            if (coll.Rules.Count % 2 != 0)
                WriteBe16(output, 0);
        }
        return output.ToArray();
    }

    private static void WriteRule(MemoryStream output, RegRule rule, Dictionary<WmmRule, int> wmmPointer)
    {
        // db2fw.py: 16 mandatory bytes; +2 for cac_timeout when there is a CAC time or a WMM rule,
        // +2 more for wmm_ptr; padded with zeros to a multiple of 4.
        if (rule.CacTimeoutMs % 1000 != 0 || rule.CacTimeoutMs / 1000 > ushort.MaxValue)
            throw new ArgumentException($"Rule {rule}: the CAC time must be a whole number of seconds below 65536.");
        if (rule.MaxEirpMbm is < 0 or > ushort.MaxValue)
            throw new ArgumentException($"Rule {rule}: the EIRP must be 0..65535 mBm to fit regulatory.db.");
        var len = RegulatoryDbFormat.RuleMinLength;
        if (rule.CacTimeoutMs != 0 || rule.Wmm is not null)
            len += 2;
        if (rule.Wmm is not null)
            len += 2;
        output.WriteByte((byte)len);
        output.WriteByte((byte)rule.Flags);
        WriteBe16(output, (ushort)rule.MaxEirpMbm);
        WriteBe32(output, rule.StartKhz);
        WriteBe32(output, rule.EndKhz);
        WriteBe32(output, rule.MaxBandwidthKhz);
        if (len > RegulatoryDbFormat.RuleMinLength)
            WriteBe16(output, (ushort)(rule.CacTimeoutMs / 1000));
        if (rule.Wmm is not null)
            WriteBe16(output, (ushort)wmmPointer[rule.Wmm]);
        for (; len % 4 != 0; len++)
            output.WriteByte(0);
    }

    private static int Pointer(long offset)
    {
        if (offset > RegulatoryDbFormat.MaxPointerOffset)
            throw new ArgumentException($"The database is too large: offset 0x{offset:x} does not fit a 16-bit pointer.");
        return (int)(offset >> 2);
    }

    private static void Patch(MemoryStream output, long at, int pointer)
    {
        var here = output.Position;
        output.Position = at;
        WriteBe16(output, (ushort)pointer);
        output.Position = here;
    }

    private static void WriteBe16(Stream s, ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, v);
        s.Write(b);
    }

    private static void WriteBe32(Stream s, uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        s.Write(b);
    }

    private sealed record Collection<TRule>(IReadOnlyList<TRule> Rules, DfsRegion Dfs);

    /// <summary>dbparse.py orders collections as Python tuples: rule by rule, a prefix first, then the DFS region.</summary>
    private sealed class CollectionComparer<TRule>(IComparer<TRule> order) : IComparer<Collection<TRule>>
    {
        public int Compare(Collection<TRule>? x, Collection<TRule>? y)
        {
            var n = Math.Min(x!.Rules.Count, y!.Rules.Count);
            for (var i = 0; i < n; i++)
            {
                var c = order.Compare(x.Rules[i], y.Rules[i]);
                if (c != 0)
                    return c;
            }
            var byLength = x.Rules.Count.CompareTo(y.Rules.Count);
            return byLength != 0 ? byLength : x.Dfs.CompareTo(y.Dfs);
        }
    }

    private sealed class CollectionEquality<TRule>(IEqualityComparer<TRule> equality) : IEqualityComparer<Collection<TRule>>
    {
        public bool Equals(Collection<TRule>? x, Collection<TRule>? y) =>
            x!.Dfs == y!.Dfs && x.Rules.SequenceEqual(y.Rules, equality);

        public int GetHashCode(Collection<TRule> obj)
        {
            var hash = new HashCode();
            hash.Add(obj.Dfs);
            foreach (var r in obj.Rules)
                hash.Add(r, equality);
            return hash.ToHashCode();
        }
    }
}
