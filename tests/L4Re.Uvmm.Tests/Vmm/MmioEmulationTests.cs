using FsCheck;
using FsCheck.Fluent;
using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vmm;
using L4Re.Uvmm.Vz;
using static L4Re.Uvmm.Tests.Vmm.Asm;

namespace L4Re.Uvmm.Tests.Vmm;

/// <summary>GPA exits of real guest loads and stores completed by <see cref="MmioEmulation"/> on a byte device.</summary>
public class MmioEmulationTests
{
    private const ulong Base = 0x1f000000;
    private const uint Kseg1Base = 0xbf00_0000;

    private readonly Lazy<(VmmMachine M, MemoryDevice Mem)> _machine = new(() =>
    {
        var m = new VmmMachine();
        var mem = new MemoryDevice(0x100);
        m.Platform.Vm.Mmio.Add(Base, 0x100, mem, "mem");
        return (m, mem);
    });

    /// <summary>A machine whose device holds 0x80, 0x81, … (shared by the tests of one fixture instance, reset here).</summary>
    private (VmmMachine M, MemoryDevice Mem) Setup()
    {
        var (m, mem) = _machine.Value;
        for (var i = 0; i < mem.Bytes.Length; i++)
            mem.Bytes[i] = (byte)(0x80 + i);
        mem.Accesses.Clear();
        for (var r = 1; r < 32; r++)
            m.Cpu.SetGpr(r, 0);
        return (m, mem);
    }

    /// <summary>Executes the single instruction <paramref name="insn"/> at <see cref="VmmMachine.CodeBase"/>; returns the MMIO result of its exit.</summary>
    private static MmioResult Exec(VmmMachine m, uint insn)
    {
        m.Vm.Ram.Write(VmmMachine.CodeBase & 0x1fff_ffff, BitConverter.GetBytes(insn));
        m.Vm.Ram.Write((VmmMachine.CodeBase & 0x1fff_ffff) + 4, BitConverter.GetBytes(0x4200_0020u)); // wait
        m.Cpu.InvalidateAllCode();
        m.Cpu.Pc = VmmMachine.CodeBase;
        var exit = m.Cpu.Run(1);
        Assert.That(exit.IsRootTlb, Is.True, exit.ToString());
        return MmioEmulation.Handle(m.Platform.Vm.Mmio, m.Cpu, exit);
    }

    [TestCase(Lb, 0x10u, 0xffff_ff90u)]
    [TestCase(Lbu, 0x10u, 0x0000_0090u)]
    [TestCase(Lh, 0x10u, 0xffff_9190u)]
    [TestCase(Lhu, 0x10u, 0x0000_9190u)]
    [TestCase(Lw, 0x10u, 0x9392_9190u)]
    public void Loads_extend_by_width_and_sign(uint op, uint offset, uint expected)
    {
        var (m, mem) = Setup();
        m.Cpu.SetGpr(5, Kseg1Base);
        Assert.That(Exec(m, I(op, 5, 9, (int)offset)), Is.EqualTo(MmioResult.Done));
        Assert.That(m[9], Is.EqualTo(expected));
        Assert.That(m.Cpu.Pc, Is.EqualTo(VmmMachine.CodeBase + 4));
        Assert.That(mem.Accesses.Single().Width, Is.EqualTo(op switch { Lb or Lbu => MmioWidth.Byte, Lh or Lhu => MmioWidth.HalfWord, _ => MmioWidth.Word }));
    }

    [TestCase(Lb, 0x7fu, 0x0000_007fu)]
    [TestCase(Lh, 0x7fffu, 0x0000_7fffu)]
    public void Positive_values_are_not_sign_extended(uint op, uint raw, uint expected)
    {
        var (m, mem) = Setup();
        mem.Bytes[0] = (byte)raw;
        mem.Bytes[1] = (byte)(raw >> 8);
        m.Cpu.SetGpr(1, Kseg1Base);
        Exec(m, I(op, 1, 2, 0));
        Assert.That(m[2], Is.EqualTo(expected));
    }

    [TestCase(Sb, 0x1122_3344u, MmioWidth.Byte, new byte[] { 0x44 })]
    [TestCase(Sh, 0x1122_3344u, MmioWidth.HalfWord, new byte[] { 0x44, 0x33 })]
    [TestCase(Sw, 0x1122_3344u, MmioWidth.Word, new byte[] { 0x44, 0x33, 0x22, 0x11 })]
    public void Stores_write_the_low_bytes_of_rt(uint op, uint value, MmioWidth width, byte[] expected)
    {
        var (m, mem) = Setup();
        m.Cpu.SetGpr(7, value);
        m.Cpu.SetGpr(1, Kseg1Base);
        Assert.That(Exec(m, I(op, 1, 7, 0x20)), Is.EqualTo(MmioResult.Done));
        Assert.That(mem.Bytes[0x20..(0x20 + expected.Length)], Is.EqualTo(expected));
        Assert.That(mem.Bytes[0x20 + expected.Length], Is.EqualTo((byte)(0xa0 + expected.Length)), "the byte after is untouched");
        Assert.That(mem.Accesses.Single(), Is.EqualTo((true, 0x20UL, width)));
        Assert.That(m.Cpu.Pc, Is.EqualTo(VmmMachine.CodeBase + 4));
    }

    [Test]
    public void Loads_into_r0_are_discarded()
    {
        var (m, _) = Setup();
        m.Cpu.SetGpr(1, Kseg1Base);
        Assert.That(Exec(m, I(Lw, 1, 0, 0)), Is.EqualTo(MmioResult.Done));
        Assert.That(m[0], Is.Zero);
    }

    // Reference semantics of the unaligned forms on a little-endian MIPS32 (MIPS32 Vol. II, LWL/LWR/SWL/SWR
    // tables), computed byte by byte from an independent model.
    private static uint RefLoad(byte[] mem, int address, uint old, bool left)
    {
        var bytes = BitConverter.GetBytes(old);
        var b = address & 3;
        var word = address & ~3;
        if (left)
            for (var i = 0; i <= b; i++)
                bytes[3 - b + i] = mem[word + i];
        else
            for (var i = b; i <= 3; i++)
                bytes[i - b] = mem[word + i];
        return BitConverter.ToUInt32(bytes);
    }

    private static void RefStore(byte[] mem, int address, uint value, bool left)
    {
        var bytes = BitConverter.GetBytes(value);
        var b = address & 3;
        var word = address & ~3;
        if (left)
            for (var i = 0; i <= b; i++)
                mem[word + i] = bytes[3 - b + i];
        else
            for (var i = b; i <= 3; i++)
                mem[word + i] = bytes[i - b];
    }

    [Test]
    public void Lwl_lwr_pair_loads_an_unaligned_word()
    {
        var (m, mem) = Setup();
        // The compiler idiom for an unaligned LE load at 0x13: lwr rt,0(a); lwl rt,3(a)
        m.Cpu.SetGpr(4, Kseg1Base + 0x13);
        Exec(m, I(Lwr, 4, 8, 0));
        Exec(m, I(Lwl, 4, 8, 3));
        Assert.That(m[8], Is.EqualTo(BitConverter.ToUInt32(mem.Bytes, 0x13)));
    }

    [Test]
    public void Swl_swr_pair_stores_an_unaligned_word()
    {
        var (m, mem) = Setup();
        m.Cpu.SetGpr(8, 0xdead_beef);
        m.Cpu.SetGpr(4, Kseg1Base + 0x21);
        Exec(m, I(Swr, 4, 8, 0));
        Exec(m, I(Swl, 4, 8, 3));
        Assert.That(BitConverter.ToUInt32(mem.Bytes, 0x21), Is.EqualTo(0xdead_beefu));
        Assert.That(mem.Bytes[0x20], Is.EqualTo((byte)0xa0));
        Assert.That(mem.Bytes[0x25], Is.EqualTo((byte)0xa5));
    }

    [FsCheck.NUnit.Property(MaxTest = 500, Replay = "20260702,9")]
    public Property Unaligned_forms_match_the_byte_model(byte offset, uint old, bool left, bool store)
    {
        var (m, mem) = Setup();
        var address = offset % 0xfc;
        var expected = (byte[])mem.Bytes.Clone();
        m.Cpu.SetGpr(3, old);
        m.Cpu.SetGpr(1, Kseg1Base + (uint)address);
        var op = store ? (left ? Swl : Swr) : (left ? Lwl : Lwr);
        var result = Exec(m, I(op, 1, 3, 0));
        if (store)
        {
            RefStore(expected, address, old, left);
            return (result == MmioResult.Done && mem.Bytes.AsSpan().SequenceEqual(expected)).ToProperty();
        }
        var touched = mem.Accesses.Sum(a => (int)a.Width);
        var lanes = left ? (address & 3) + 1 : 4 - (address & 3);
        return (result == MmioResult.Done && m[3] == RefLoad(mem.Bytes, address, old, left) && touched == lanes)
            .Label($"got 0x{m[3]:x8}, touched {touched} of {lanes} lanes");
    }

    [TestCase(1, new[] { MmioWidth.HalfWord }, new ulong[] { 0x40 })]           // lwl b=1: lanes 0-1
    [TestCase(2, new[] { MmioWidth.HalfWord, MmioWidth.Byte }, new ulong[] { 0x40, 0x42 })] // lwl b=2: lanes 0-2
    [TestCase(3, new[] { MmioWidth.Word }, new ulong[] { 0x40 })]
    public void Lwl_touches_only_its_lanes_with_natural_widths(int b, MmioWidth[] widths, ulong[] offsets)
    {
        var (m, mem) = Setup();
        m.Cpu.SetGpr(1, Kseg1Base + 0x40 + (uint)b);
        Exec(m, I(Lwl, 1, 3, 0));
        Assert.That(mem.Accesses.Select(a => a.Width), Is.EqualTo(widths));
        Assert.That(mem.Accesses.Select(a => a.Offset), Is.EqualTo(offsets));
    }

    [Test]
    public void Unmapped_addresses_change_nothing()
    {
        var (m, _) = Setup();
        for (var r = 1; r < 32; r++)
            m.Cpu.SetGpr(r, (uint)r * 3);
        m.Cpu.SetGpr(1, Kseg1Base);
        m.Cpu.SetGpr(2, 0xbe00_0000);
        var before = Enumerable.Range(0, 32).Select(m.Cpu.GetGpr).ToArray();
        Assert.That(Exec(m, I(Lw, 1, 9, 0x100)), Is.EqualTo(MmioResult.Unmapped));
        Assert.That(Exec(m, I(Sw, 2, 9, 0)), Is.EqualTo(MmioResult.Unmapped));
        Assert.That(Exec(m, I(Swl, 1, 9, 0x102)), Is.EqualTo(MmioResult.Unmapped));
        Assert.That(Enumerable.Range(0, 32).Select(m.Cpu.GetGpr), Is.EqualTo(before));
        Assert.That(m.Cpu.Pc, Is.EqualTo(VmmMachine.CodeBase), "the instruction is not skipped");
        Assert.That(Exec(m, I(Swr, 1, 9, 0xff)), Is.EqualTo(MmioResult.Done), "1 byte at the end fits");
    }

    [Test]
    public void A_word_crossing_the_end_of_a_device_is_unmapped() =>
        Assert.That(MmioEmulation.Load(Setup().M.Platform.Vm.Mmio, 0, Base + 0xfe, MmioEmulation.Decode(I(Lw, 0, 9, 0)), 7, out _), Is.False);

    [TestCase(Ll)]
    [TestCase(Sc)]
    [TestCase(0x31u)] // LWC1
    [TestCase(0x39u)] // SWC1
    [TestCase(0x09u)] // ADDIU
    public void Atomic_fpu_and_non_memory_instructions_are_unsupported(uint op) =>
        Assert.That(MmioEmulation.Decode(I(op, 0, 4, 0)).Kind, Is.EqualTo(MmioAccessKind.Unsupported));

    [Test]
    public void Ll_on_a_device_halts_without_touching_it()
    {
        var (m, mem) = Setup();
        m.Cpu.SetGpr(1, Kseg1Base);
        Assert.That(Exec(m, I(Ll, 1, 4, 0)), Is.EqualTo(MmioResult.Unsupported));
        Assert.That(m.Cpu.Pc, Is.EqualTo(VmmMachine.CodeBase));
        Assert.That(mem.Accesses, Is.Empty);
    }

    [Test]
    public void Cache_on_unmapped_memory_is_skipped()
    {
        var (m, _) = Setup();
        m.Cpu.SetGpr(4, 0xbe00_0000);
        Assert.That(Exec(m, I(Cache, 4, 0x15, 0)), Is.EqualTo(MmioResult.Skipped));
        Assert.That(m.Cpu.Pc, Is.EqualTo(VmmMachine.CodeBase + 4));
    }

    [FsCheck.NUnit.Property(MaxTest = 3000, Replay = "20260702,11")]
    public Property Any_instruction_word_and_address_never_throws(uint insn, uint branch, bool bd, uint address)
    {
        var (m, _) = Setup();
        var exit = new VcpuExit(VcpuExitReason.Exception, ExcCode.TlbL, GuestExitCode.Gpa, VmmMachine.CodeBase, (uint)Base + (address & 0x1ff), insn, branch, bd, 1);
        var r = MmioEmulation.Handle(m.Platform.Vm.Mmio, m.Cpu, exit);
        return Enum.IsDefined(r).ToProperty();
    }
}
