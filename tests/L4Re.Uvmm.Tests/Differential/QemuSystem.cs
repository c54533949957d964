using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace L4Re.Uvmm.Tests.Differential;

/// <summary>
/// Runs a bare-metal ELF under <c>qemu-system-mipsel -M malta -cpu P5600</c> and reads the final registers through
/// the HMP monitor (<c>info registers</c>), polling until the CPU sits at the program's final WAIT.
/// </summary>
internal static partial class QemuSystem
{
    public sealed record Registers(uint Pc, uint Hi, uint Lo, uint[] Gpr);

    /// <summary>Runs <paramref name="elf"/> and returns the registers once PC = <paramref name="haltPc"/> (QEMU reports WAIT + 4).</summary>
    public static Registers RunUntil(string elf, uint haltPc, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(CrossTools.Require(CrossTools.QemuSystem),
            $"-M malta -cpu P5600 -nographic -vga none -nic none -serial null -monitor stdio -kernel \"{elf}\"")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var qemu = Process.Start(psi)!;
        var output = new StringBuilder();
        qemu.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        qemu.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        qemu.BeginOutputReadLine();
        qemu.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        Registers? previous = null;
        try
        {
            while (clock.Elapsed < timeout)
            {
                int mark;
                lock (output)
                    mark = output.Length;
                qemu.StandardInput.WriteLine("info registers");
                qemu.StandardInput.Flush();
                Registers? current = null;
                var asked = Stopwatch.StartNew();
                while (current is null && asked.ElapsedMilliseconds < 2000 && !qemu.HasExited)
                {
                    Thread.Sleep(20);
                    string text;
                    lock (output)
                        text = output.ToString(mark, output.Length - mark);
                    current = Parse(text);
                }
                if (qemu.HasExited)
                    Assert.Fail($"qemu-system-mipsel exited with {qemu.ExitCode}:\n{output}");
                if (current is not null && current.Pc == haltPc)
                {
                    // Stable at the halt address: the guest is parked in WAIT.
                    if (previous is not null && previous.Pc == haltPc && previous.Gpr.SequenceEqual(current.Gpr))
                        return current;
                    previous = current;
                    continue;
                }
                Thread.Sleep(50);
            }
            Assert.Fail($"QEMU did not reach 0x{haltPc:x8} within {timeout.TotalSeconds} s; last output:\n{Tail(output)}");
            return null!;
        }
        finally
        {
            try
            {
                qemu.StandardInput.WriteLine("quit");
                qemu.StandardInput.Flush();
                if (!qemu.WaitForExit(3000))
                    qemu.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
            catch (IOException)
            {
                // stdin closed: the process has exited
            }
        }
    }

    private static string Tail(StringBuilder sb)
    {
        lock (sb)
            return sb.Length > 3000 ? sb.ToString(sb.Length - 3000, 3000) : sb.ToString();
    }

    /// <summary>Parses the last complete register dump in <paramref name="text"/>.</summary>
    internal static Registers? Parse(string text)
    {
        var pcMatch = PcLine().Matches(text);
        if (pcMatch.Count == 0)
            return null;
        var last = pcMatch[^1];
        var rest = text[last.Index..];
        var gpr = new uint[32];
        var found = 0;
        foreach (Match m in GprLine().Matches(rest))
        {
            var baseIndex = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var values = HexWord().Matches(m.Groups[2].Value);
            if (values.Count != 4)
                return null;
            for (var i = 0; i < 4; i++)
                gpr[baseIndex + i] = uint.Parse(values[i].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            found++;
            if (found == 8)
                break;
        }
        if (found != 8)
            return null;
        return new Registers(Hex(last.Groups[1].Value), Hex(last.Groups[2].Value), Hex(last.Groups[3].Value), gpr);
    }

    private static uint Hex(string s) => uint.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"pc=0x([0-9a-f]+) HI=0x([0-9a-f]+) LO=0x([0-9a-f]+)")]
    private static partial Regex PcLine();

    [GeneratedRegex(@"GPR(\d\d):((?:\s+\S+\s+[0-9a-f]{8}){4})")]
    private static partial Regex GprLine();

    [GeneratedRegex(@"(?<=\s)[0-9a-f]{8}\b")]
    private static partial Regex HexWord();
}
