using FsCheck;
using FsCheck.Fluent;
using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Tests.Differential;

/// <summary>
/// FsCheck differential test against qemu-user: 10,000 random instruction sequences (fixed seed) in five static
/// mipsel Linux programs of 2,000 each, run under <c>qemu-mipsel-static -cpu P5600</c> and under
/// <see cref="LinuxUserHarness"/> (NaN-2008 ELF flag: QEMU's P5600 rejects legacy-NaN binaries); every sequence's buffer, registers, HI and LO must be byte-identical.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public class QemuUserFsCheckTests
{
    private const int Sequences = 10_000;
    private const int Batches = 5;

    public static IEnumerable<int> BatchIndexes => Enumerable.Range(0, Batches);

    private static readonly Lazy<RandomSequences.Sequence[]> All = new(() =>
        RandomSequences.Sequences().Sample(Sequences, new Rnd(0x4c345265_55766d6dul), 30));

    [Test]
    public void Ten_thousand_sequences_are_generated() => Assert.That(All.Value, Has.Length.EqualTo(Sequences));

    [TestCaseSource(nameof(BatchIndexes))]
    public void Random_sequences_match_qemu_user(int batch)
    {
        var per = Sequences / Batches;
        var sequences = All.Value.Skip(batch * per).Take(per).ToArray();
        var dir = CrossTools.TempDir($"qemu-user-{batch}");
        File.WriteAllText(Path.Combine(dir, "seq.S"), RandomSequences.Program(sequences));
        CrossTools.Run(CrossTools.Gcc, "-nostdlib -static -mno-abicalls -fno-pic -march=mips32r2 -msoft-float -mnan=2008 -Wl,-e,__start -Wl,--build-id=none -Wa,-mno-fix-loongson3-llsc -o seq seq.S", dir, timeoutMs: 300_000);
        var elfPath = Path.Combine(dir, "seq");

        var qemu = RunQemuUser(elfPath, dir);
        var harness = new LinuxUserHarness();
        var ours = harness.Run(Elf32Image.Parse(File.ReadAllBytes(elfPath)), 100_000_000);
        Assert.That(ours.Stop, Is.EqualTo(LinuxUserStop.Exited), ours.Detail);
        Assert.That(qemu, Has.Length.EqualTo(per * RandomSequences.RegionSize), "qemu-user output size");
        Assert.That(ours.Stdout, Has.Length.EqualTo(qemu.Length), "our output size");

        var failures = new List<string>();
        for (var q = 0; q < per && failures.Count < 5; q++)
        {
            var a = qemu.AsSpan(q * RandomSequences.RegionSize, RandomSequences.RegionSize);
            var b = ours.Stdout.AsSpan(q * RandomSequences.RegionSize, RandomSequences.RegionSize);
            if (!a.SequenceEqual(b))
                failures.Add(RandomSequences.Describe(sequences[q], batch * per + q) + Diff(a, b));
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        Directory.Delete(dir, true);
    }

    private static byte[] RunQemuUser(string elf, string dir)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(CrossTools.Require(CrossTools.QemuUser), $"-cpu P5600 \"{elf}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        using var p = System.Diagnostics.Process.Start(psi)!;
        using var ms = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(ms);
        var err = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(true);
            Assert.Fail("qemu-mipsel-static timed out");
        }
        copy.Wait();
        Assert.That(p.ExitCode, Is.Zero, $"qemu-mipsel-static failed: {err.Result}");
        return ms.ToArray();
    }

    private static string Diff(ReadOnlySpan<byte> qemu, ReadOnlySpan<byte> ours)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < 256 + 31 * 4; i += 4)
        {
            var a = BitConverter.ToUInt32(qemu[i..]);
            var b = BitConverter.ToUInt32(ours[i..]);
            if (a == b)
                continue;
            var what = i < 256 ? $"buffer+{i}" : ((i - 256) / 4) switch
            {
                < 28 and var k => RegisterNames.Gpr(k + 1),
                28 => "$ra",
                29 => "hi",
                _ => "lo",
            };
            sb.Append($"  {what}: qemu 0x{a:x8}, ours 0x{b:x8}\n");
        }
        return sb.ToString();
    }
}
