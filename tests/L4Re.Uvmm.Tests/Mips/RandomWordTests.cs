using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Tests.Mips;

/// <summary>
/// Bad input: a million random 32-bit words executed as guest code, half in kernel mode and half in user mode,
/// never throw out of the engine; they retire, take guest exceptions (reserved instruction, address error,
/// TLB, coprocessor unusable, …) or exit to the root (GPSI, GSFC, hypercall, GPA).
/// </summary>
public class RandomWordTests
{
    private const int Words = 1_000_000;
    private const uint CodeGpa = 0x0010_0000;

    [Test]
    public void A_million_random_words_never_throw()
    {
        var random = new Random(0x5eed_1e55);
        var m = new TestMachine(ramBytes: 16 << 20);
        var ram = m.Ram.Span;
        for (var i = 0; i < Words; i++)
            BitConverter.TryWriteBytes(ram[(int)(CodeGpa + 4 * i)..], (uint)random.NextInt64(0, 1L << 32));
        m.Cpu.InvalidateAllCode();
        var cpu = m.Cpu;
        var state = cpu.State;
        var guestExceptions = new Dictionary<ExcCode, int>();
        var exits = new Dictionary<string, int>();
        var retired = 0;

        for (var i = 0; i < Words; i++)
        {
            if (i % 1000 == 0)
            {
                // Fresh registers (mostly small so some loads and stores hit RAM) and the identity user mapping.
                for (var r = 1; r < 32; r++)
                    cpu.SetGpr(r, random.Next(4) == 0 ? (uint)random.NextInt64(0, 1L << 32) : (uint)random.Next(0, 16 << 20));
                cpu.Tlb[0] = new TlbEntry(0, 0x01ff_e000, 0x1f, (16u << 20 >> 12) << 6 | 0x1f);
                state.GuestCtl0 = GuestCtl0Bits.Default | GuestCtl0Bits.GT | GuestCtl0Bits.CG;
                state.EBase = 0x8000_0000;
            }
            var user = i >= Words / 2;
            state.Status = user ? 0x10u : 0u;
            state.Cause = 0;
            state.GuestCtl2 = 0;
            cpu.Pc = (user ? 0u : 0x8000_0000u) + CodeGpa + 4u * (uint)i;
            var before = cpu.InstructionsRetired;
            var exit = cpu.Run(1);
            retired += (int)(cpu.InstructionsRetired - before);
            Assert.That(exit.Reason, Is.Not.EqualTo(VcpuExitReason.Stopped));
            if (exit.Reason == VcpuExitReason.Exception)
            {
                Assert.That(exit.ExcCode, Is.AnyOf(ExcCode.GE, ExcCode.TlbL, ExcCode.TlbS, ExcCode.Mod), exit.ToString());
                var key = exit.ExcCode == ExcCode.GE ? exit.GuestExitCode.ToString() : $"root {exit.ExcCode}";
                exits[key] = exits.GetValueOrDefault(key) + 1;
            }
            else if ((state.Status & Cp0Bits.StatusEXL) != 0)
            {
                var code = (ExcCode)((state.Cause >> 2) & 0x1f);
                guestExceptions[code] = guestExceptions.GetValueOrDefault(code) + 1;
            }
        }

        TestContext.Out.WriteLine($"retired {retired}; guest exceptions: {string.Join(", ", guestExceptions.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}");
        TestContext.Out.WriteLine($"exits: {string.Join(", ", exits.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}");
        Assert.Multiple(() =>
        {
            Assert.That(guestExceptions.GetValueOrDefault(ExcCode.RI), Is.GreaterThan(1000), "reserved instructions");
            Assert.That(guestExceptions.GetValueOrDefault(ExcCode.AdEL) + guestExceptions.GetValueOrDefault(ExcCode.AdES), Is.GreaterThan(1000), "address errors");
            Assert.That(guestExceptions.GetValueOrDefault(ExcCode.TlbL) + guestExceptions.GetValueOrDefault(ExcCode.TlbS), Is.GreaterThan(100), "TLB exceptions");
            Assert.That(guestExceptions.GetValueOrDefault(ExcCode.CpU), Is.GreaterThan(1000), "coprocessor unusable");
            Assert.That(exits.GetValueOrDefault(nameof(GuestExitCode.Gpsi)), Is.GreaterThan(10), "GPSI exits");
            Assert.That(exits.Keys.Count(k => k.StartsWith("root", StringComparison.Ordinal)), Is.GreaterThan(0), "GPA exits");
            Assert.That(retired, Is.GreaterThan(Words / 4));
        });
    }
}
