using System.Globalization;
using System.Text;
using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Regdb.DbTxt;

/// <summary>
/// Writes db.txt: WMM blocks first, then one block per country with one rule per line, in the style of
/// upstream's file. Numbers use the shortest text that reads back to the same double, so
/// <c>Parse(Write(doc))</c> gives an equal document (comments are not kept).
/// </summary>
public static class DbTxtWriter
{
    /// <summary>Writes a document.</summary>
    public static string Write(DbTxtDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var sb = new StringBuilder();
        foreach (var group in document.WmmRules.GroupBy(kv => kv.Value))
        {
            sb.Append("wmmrule ").AppendJoin(',', group.Select(kv => kv.Key)).Append(":\n");
            var entries = group.Key.Entries;
            for (var i = 0; i < entries.Length; i++)
            {
                var e = entries[i];
                sb.Append(CultureInfo.InvariantCulture,
                    $"\t{WmmRule.EntryNames[i]}: cw_min={e.CwMin}, cw_max={e.CwMax}, aifsn={e.Aifsn}, cot={e.CotMilliseconds}\n");
            }
            sb.Append('\n');
        }
        foreach (var country in document.Countries)
        {
            sb.Append("country ").Append(country.Alpha2).Append(':');
            if (country.DfsRegion != DfsRegion.Unset)
                sb.Append(' ').Append(DfsName(country.DfsRegion));
            sb.Append('\n');
            foreach (var rule in country.Rules)
                AppendRule(sb, rule, document);
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// Writes a binary database as db.txt (what <c>l4re regdb dump</c> prints). kHz and mBm become MHz and
    /// dBm texts that db2fw.py's truncating conversion maps back to the same integers; WMM rules are named
    /// <c>WMM1</c>, <c>WMM2</c>, …; CAC times are not expressible in db.txt and are left out.
    /// </summary>
    public static string Write(RegulatoryDatabase database) => Write(FromDatabase(database));

    /// <summary>The db.txt document equivalent to a binary database (see <see cref="Write(RegulatoryDatabase)"/>).</summary>
    public static DbTxtDocument FromDatabase(RegulatoryDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var wmms = database.Countries.SelectMany(c => c.Rules).Where(r => r.Wmm is not null).Select(r => r.Wmm!)
            .Distinct().Order().ToArray();
        var named = wmms.Select((w, i) => new KeyValuePair<string, WmmRule>($"WMM{i + 1}", w));
        var countries = database.Countries.Select(c => new DbTxtCountry(c.Alpha2, c.DfsRegion,
            c.Rules.Select(r => new DbTxtRule(KhzToMhz(r.StartKhz), KhzToMhz(r.EndKhz), KhzToMhz(r.MaxBandwidthKhz),
                new DbTxtPower(MbmToDbm(r.MaxEirpMbm), PowerUnit.Dbm), DbTxtFlagNames.FromBinary(r.Flags), r.Wmm))));
        return new DbTxtDocument(named, countries);
    }

    /// <summary>The MHz value whose db2fw.py conversion <c>int(MHz * 1000)</c> gives exactly <paramref name="khz"/>.</summary>
    public static double KhzToMhz(uint khz) => Inverse(khz, 1000.0);

    /// <summary>The dBm value whose db2fw.py conversion <c>int(dBm * 100)</c> gives exactly <paramref name="mbm"/>.</summary>
    public static double MbmToDbm(int mbm) => Inverse(mbm, 100.0);

    private static double Inverse(long target, double scale)
    {
        var v = target / scale;
        while ((long)(v * scale) < target)
            v = Math.BitIncrement(v);
        return v;
    }

    private static void AppendRule(StringBuilder sb, DbTxtRule rule, DbTxtDocument document)
    {
        sb.Append("\t(").Append(Number(rule.StartMhz)).Append(" - ").Append(Number(rule.EndMhz))
          .Append(" @ ").Append(Number(rule.MaxBandwidthMhz)).Append("), (");
        sb.Append(rule.Power.Unit switch
        {
            PowerUnit.MilliWatt => Number(rule.Power.Value) + " mW",
            PowerUnit.NotApplicable => "N/A",
            _ => Number(rule.Power.Value),
        });
        sb.Append(')');
        foreach (var name in DbTxtFlagNames.Names(rule.Flags))
            sb.Append(", ").Append(name);
        if (rule.Wmm is not null)
        {
            var name = document.WmmRules.FirstOrDefault(kv => kv.Value.Equals(rule.Wmm)).Key
                ?? throw new ArgumentException("A rule refers to a WMM rule the document does not define.", nameof(document));
            sb.Append(", wmmrule=").Append(name);
        }
        sb.Append('\n');
    }

    private static string DfsName(DfsRegion region) => region switch
    {
        DfsRegion.Fcc => "DFS-FCC",
        DfsRegion.Etsi => "DFS-ETSI",
        DfsRegion.Jp => "DFS-JP",
        _ => "",
    };

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
