using System.CommandLine;
using System.Globalization;
using System.Text;
using L4Re.Regulatory;
using L4Re.Regulatory.Gate;
using L4Re.Regulatory.Regdb;
using L4Re.Regulatory.Regdb.DbTxt;
using L4Re.Regulatory.Regdb.Signature;
using L4Re.Regulatory.Reporting;
using L4Re.Regulatory.Rules;

namespace L4Re.Cli.Commands;

/// <summary><c>l4re regdb …</c>: query, check, dump, compile and verify wireless-regdb databases.</summary>
internal static class RegdbCommands
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var regdb = new Command("regdb", "wireless-regdb: cfg80211's view of channels, the policy gate, compile, dump, verify.");
        regdb.Subcommands.Add(Channel(stdout, stderr));
        regdb.Subcommands.Add(Check(stdout, stderr));
        regdb.Subcommands.Add(Dump(stdout, stderr));
        regdb.Subcommands.Add(Compile(stdout, stderr));
        regdb.Subcommands.Add(Verify(stdout, stderr));
        return regdb;
    }

    private static Option<string> DbOption() => new("--db") { Description = "regulatory.db (or a db.txt) to read.", Required = true };

    private static Option<string> CountryOption() => new("--country") { Description = "Country code, e.g. US, DE, 00.", Required = true };

    private static Option<decimal> FreqOption(string description) => new("--freq") { Description = description, Required = true };

    private static Command Channel(TextWriter stdout, TextWriter stderr)
    {
        var db = DbOption();
        var country = CountryOption();
        var freq = FreqOption("Centre of the 20 MHz channel in MHz.");
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var cmd = new Command("channel", "cfg80211's view of the 20 MHz channel centred at --freq.") { db, country, freq, json };
        cmd.SetAction(r => Run(stderr, () =>
        {
            var domain = LoadCountry(r.GetValue(db)!, r.GetValue(country)!);
            var khz = ToKhz(r.GetValue(freq));
            var rules = Cfg80211.EvaluateChannel(domain, khz);
            var enabled = rules.IsUsable20Mhz;
            var flags = enabled ? RegdbJson.Flags(rules.Flags).ToList() : [];
            if (r.GetValue(json))
            {
                stdout.WriteLine(RegdbJson.Channel(domain, khz));
            }
            else if (enabled)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{domain.Alpha2} {khz / 1000.0:0.###} MHz: enabled, max EIRP {rules.MaxRegPowerDbm} dBm, up to {rules.MaxWidthMhz} MHz wide{(flags.Count > 0 ? ", " + string.Join(", ", flags) : "")}"));
            }
            else
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{domain.Alpha2} {khz / 1000.0:0.###} MHz: disabled"));
            }
            return 0;
        }));
        return cmd;
    }

    private static Command Check(TextWriter stdout, TextWriter stderr)
    {
        var db = DbOption();
        var country = CountryOption();
        var freq = FreqOption("Control channel centre in MHz.");
        var width = new Option<int>("--width") { Description = "Channel width: 20, 40, 80 or 160 MHz.", Required = true };
        var power = new Option<decimal>("--power") { Description = "Requested TX power in dBm.", Required = true };
        var gain = new Option<decimal>("--gain") { Description = "Antenna gain in dBi (default 0)." };
        var mode = new Option<string>("--mode") { Description = "ap, sta, mesh or ibss (default ap).", DefaultValueFactory = _ => "ap" };
        mode.AcceptOnlyFromAmong("ap", "sta", "mesh", "ibss");
        var outdoor = new Option<bool>("--outdoor") { Description = "Outdoor use." };
        var cacDone = new Option<bool>("--cac-done") { Description = "Run the DFS channel availability check to completion first." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var cmd = new Command("check", "Ask the policy gate about a radio configuration.")
        {
            db, country, freq, width, power, gain, mode, outdoor, cacDone, json,
        };
        cmd.SetAction(r => Run(stderr, () =>
        {
            var domain = LoadCountry(r.GetValue(db)!, r.GetValue(country)!);
            var request = new RadioRequest
            {
                FrequencyKhz = ToKhz(r.GetValue(freq)),
                WidthMhz = r.GetValue(width),
                TxPowerMbm = ToCenti(r.GetValue(power)),
                AntennaGainMbi = ToCenti(r.GetValue(gain)),
                Mode = r.GetValue(mode) switch
                {
                    "sta" => OperatingMode.Station,
                    "mesh" => OperatingMode.Mesh,
                    "ibss" => OperatingMode.Ibss,
                    _ => OperatingMode.AccessPoint,
                },
                Outdoor = r.GetValue(outdoor),
            };
            var d = RegdbQueries.Check(domain, request, r.GetValue(cacDone));
            var verdict = RegdbJson.VerdictName(d.Verdict);
            if (r.GetValue(json))
            {
                stdout.WriteLine(RegdbJson.Decision(d));
            }
            else
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{verdict}: {d.ReasonText}; granted EIRP {d.GrantedEirpMbm / 100m} dBm (limit {d.EirpLimitMbm / 100m} dBm){Restrictions(d.Restrictions)}"));
            }
            return 0;
        }));
        return cmd;
    }

    private static Command Dump(TextWriter stdout, TextWriter stderr)
    {
        var db = DbOption();
        var country = new Option<string>("--country") { Description = "Only this country." };
        var cmd = new Command("dump", "Print a database as db.txt.") { db, country };
        cmd.SetAction(r => Run(stderr, () =>
        {
            var database = LoadDatabase(r.GetValue(db)!);
            if (r.GetValue(country) is { } cc)
            {
                var domain = Find(database, cc);
                database = new RegulatoryDatabase([domain]);
            }
            stdout.Write(DbTxtWriter.Write(database));
            return 0;
        }));
        return cmd;
    }

    private static Command Compile(TextWriter stdout, TextWriter stderr)
    {
        var input = new Argument<string>("db.txt") { Description = "wireless-regdb source." };
        var output = new Option<string>("--output", "-o") { Description = "regulatory.db to write.", Required = true };
        var cmd = new Command("compile", "Compile db.txt to regulatory.db (byte-identical to wireless-regdb's db2fw.py).") { input, output };
        cmd.SetAction(r => Run(stderr, () =>
        {
            var document = DbTxtParser.Parse(File.ReadAllText(r.GetValue(input)!));
            var image = RegulatoryDbCompiler.Compile(document);
            File.WriteAllBytes(r.GetValue(output)!, image);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.GetValue(output)}: {image.Length} bytes, {document.Countries.Count} countries"));
            return 0;
        }));
        return cmd;
    }

    private static Command Verify(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("regulatory.db") { Description = "Database to verify." };
        var sig = new Option<string>("--sig") { Description = "Detached signature (regulatory.db.p7s).", Required = true };
        var cert = new Option<string[]>("--cert") { Description = "Trusted certificate(s), PEM or DER.", Required = true, AllowMultipleArgumentsPerToken = true };
        var cmd = new Command("verify", "Verify regulatory.db against its signature and trusted certificates, then validate it.") { file, sig, cert };
        cmd.SetAction(r => Run(stderr, () =>
        {
            var trusted = r.GetValue(cert)!.SelectMany(RegdbCertificates.LoadFile).ToArray();
            var image = File.ReadAllBytes(r.GetValue(file)!);
            var signer = RegdbSignature.Verify(image, File.ReadAllBytes(r.GetValue(sig)!), trusted);
            var database = RegulatoryDbReader.Read(image);
            stdout.WriteLine($"{r.GetValue(file)}: signature OK ({signer.Subject}), {database.Countries.Count} countries");
            return 0;
        }));
        return cmd;
    }

    private static int Run(TextWriter stderr, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (RegulatoryDataException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CommandLineException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return e is CommandLineException ? 2 : 1;
        }
    }

    private static RegulatoryDatabase LoadDatabase(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.AsSpan().StartsWith("RGDB"u8))
            return RegulatoryDbReader.Read(bytes);
        return RegulatoryDbCompiler.ToDatabase(DbTxtParser.Parse(Encoding.UTF8.GetString(bytes)));
    }

    private static RegDomain LoadCountry(string path, string alpha2) => Find(LoadDatabase(path), alpha2);

    private static RegDomain Find(RegulatoryDatabase database, string alpha2) =>
        database.TryGetCountry(alpha2.ToUpperInvariant(), out var d) ? d : throw new CommandLineException($"country {alpha2} is not in the database");

    private static uint ToKhz(decimal mhz) =>
        mhz is > 0 and < 4_000_000 && decimal.Round(mhz * 1000) == mhz * 1000 ? (uint)(mhz * 1000)
            : throw new CommandLineException($"frequency {mhz} MHz is not a positive whole number of kHz");

    private static int ToCenti(decimal value) =>
        value is >= -1000 and <= 1000 ? (int)decimal.Round(value * 100, MidpointRounding.AwayFromZero)
            : throw new CommandLineException($"{value} is out of range");

    private static string Restrictions(GateRestrictions r) => r == GateRestrictions.None ? "" : $"; restrictions: {r}";

    private sealed class CommandLineException(string message) : Exception(message);
}
