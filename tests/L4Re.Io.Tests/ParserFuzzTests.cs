using System.Text;
using FsCheck;
using FsCheck.Fluent;
using L4Re.Io.Config;

namespace L4Re.Io.Tests;

/// <summary>
/// The parser and the loader meet random and mutated text: the only exception that may escape is the
/// documented <see cref="IoConfigException"/>, always with a location inside the text.
/// </summary>
public class ParserFuzzTests
{
    private static readonly string[] Fragments =
    [
        "{", "}", "=", ",", "..", "+", ";", "\n", "\"", "\\", "#", " ", "0x", "0", "9", "_", "-", ".",
        "device", "vbus", "match", "hid", "compatible", "pci", "mmio", "irq", "port", "bus", "gpio", "dma",
        "shared", "level-high", "rw", "vendor", "address", "\"PCI/\"", "\"*\"", "\"[\"", "0xffffffffffffffff",
        "\u0000", "\t", "\r", "é", "\uffff", "\ud800",
    ];

    /// <summary>Parses and loads; returns a failure label, or null when the outcome was allowed.</summary>
    private static string? Exercise(string text)
    {
        var lines = text.Split('\n').Length;
        try
        {
            var config = IoConfigParser.Parse(text, "fuzz");
            var io = new IoServer();
            io.Load(config);
            // A configuration that loaded can be written and read back to the same thing.
            var written = IoConfigWriter.Write(config);
            return IoConfigWriter.Write(IoConfigParser.Parse(written, "again")) == written ? null : "write/parse round trip differs";
        }
        catch (IoConfigException e)
        {
            foreach (var err in e.Errors)
                if (err.Location.Source != "fuzz" || err.Location.Line < 1 || err.Location.Line > lines || err.Location.Column < 1 || err.Message.Length == 0)
                    return $"bad error location {err}";
            return null;
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    private static string Mutate(string text, Random rnd)
    {
        var sb = new StringBuilder(text);
        for (var n = rnd.Next(1, 6); n > 0; n--)
        {
            var at = rnd.Next(sb.Length + 1);
            switch (rnd.Next(6))
            {
                case 0 when sb.Length > 0:
                    sb.Remove(Math.Min(at, sb.Length - 1), Math.Min(rnd.Next(1, 12), sb.Length - Math.Min(at, sb.Length - 1)));
                    break;
                case 1:
                    sb.Insert(at, Fragments[rnd.Next(Fragments.Length)]);
                    break;
                case 2 when sb.Length > 0:
                    sb[Math.Min(at, sb.Length - 1)] = (char)rnd.Next(0, 128);
                    break;
                case 3:
                    var lines = sb.ToString().Split('\n').ToList();
                    var (a, b) = (rnd.Next(lines.Count), rnd.Next(lines.Count));
                    (lines[a], lines[b]) = (lines[b], lines[a]);
                    sb.Clear().AppendJoin('\n', lines);
                    break;
                case 4:
                    var all = sb.ToString().Split('\n');
                    sb.Insert(at, all[rnd.Next(all.Length)] + "\n");
                    break;
                default:
                    sb.Insert(at, rnd.Next().ToString("x", System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }
        return sb.ToString();
    }

    [FsCheck.NUnit.Property(MaxTest = 3000, Replay = "424242,1337", QuietOnSuccess = true)]
    public Property Mutated_configurations_fail_only_with_config_errors(int seed)
    {
        var text = Mutate(TestConfigs.BaikalText, new Random(seed));
        var failure = Exercise(text);
        return (failure is null).Label(failure ?? "");
    }

    [FsCheck.NUnit.Property(MaxTest = 2000, Replay = "1234567,7654321", QuietOnSuccess = true)]
    public Property Arbitrary_strings_fail_only_with_config_errors(string text)
    {
        var failure = Exercise(text ?? "");
        return (failure is null).Label(failure ?? "");
    }

    [FsCheck.NUnit.Property(MaxTest = 2000, Replay = "99,101", QuietOnSuccess = true)]
    public Property Random_fragment_soup_fails_only_with_config_errors(int seed)
    {
        var rnd = new Random(seed);
        var text = string.Concat(Enumerable.Range(0, rnd.Next(0, 40)).Select(_ => Fragments[rnd.Next(Fragments.Length)] + (rnd.Next(3) == 0 ? " " : "")));
        var failure = Exercise(text);
        return (failure is null).Label(failure ?? "");
    }

    [Test]
    public void Some_mutations_still_load()
    {
        // Guards the fuzzer against only ever producing garbage: a fair share of mutants must parse.
        var parsed = Enumerable.Range(0, 500).Count(seed => IoConfigParser.TryParse(Mutate(TestConfigs.BaikalText, new Random(seed)), "m", out _, out _));
        Assert.That(parsed, Is.GreaterThan(50));
    }
}
