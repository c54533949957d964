using FsCheck;
using FsCheck.Fluent;
using L4Re.Uvmm.Vmm;
using static L4Re.Uvmm.Tests.Vmm.Asm;

namespace L4Re.Uvmm.Tests.Vmm;

public class MmioEmulationTests
{
    private const ulong Base = 0x1f000000;

    private static (MmioBus Bus, MemoryDevice Mem) Setup()
    {
        var bus = new MmioBus();
        var mem = new MemoryDevice(0x100);
        bus.Add(Base, 0x100, mem, "mem");
        for (var i = 0; i < mem.Bytes.Length; i++)
            mem.Bytes[i] = (byte)(0x80 + i);
        return (bus, mem);
    }

    private static MmioResult Run(MmioBus bus, uint insn, ulong address, uint[] gpr, ref uint pc, bool bd = false, uint branch = 0) =>
        MmioEmulation.Handle(bus, 0, address, insn, branch, bd, gpr, ref pc);

    [TestCase(Lb, 0x10u, 0xffff_ff90u)]
    [TestCase(Lbu, 0x10u, 0x0000_0090u)]
    [TestCase(Lh, 0x10u, 0xffff_9190u)]
    [TestCase(Lhu, 0x10u, 0x0000_9190u)]
    [TestCase(Lw, 0x10u, 0x9392_9190u)]
    public void Loads_extend_by_width_and_sign(uint op, uint offset, uint expected)
    {
        var (bus, mem) = Setup();
        var gpr = new uint[32];
        gpr[5] = (uint)Base;
        uint pc = 0x80001000;
        Assert.That(Run(bus, I(op, 5, 9, (int)offset), Base + offset, gpr, ref pc), Is.EqualTo(MmioResult.Done));
        Assert.That(gpr[9], Is.EqualTo(expected));
        Assert.That(pc, Is.EqualTo(0x80001004u));
        Assert.That(mem.Accesses.Single().Width, Is.EqualTo(op switch { Lb or Lbu => MmioWidth.Byte, Lh or Lhu => MmioWidth.HalfWord, _ => MmioWidth.Word }));
    }

    [TestCase(Lb, 0x7fu, 0x0000_007fu)]
    [TestCase(Lh, 0x7fffu, 0x0000_7fffu)]
    public void Positive_values_are_not_sign_extended(uint op, uint raw, uint expected)
    {
        var (bus, mem) = Setup();
        mem.Bytes[0] = (byte)raw;
        mem.Bytes[1] = (byte)(raw >> 8);
        var gpr = new uint[32];
        uint pc = 0;
        Run(bus, I(op, 0, 2, 0), Base, gpr, ref pc);
        Assert.That(gpr[2], Is.EqualTo(expected));
    }

    [TestCase(Sb, 0x1122_3344u, MmioWidth.Byte, new byte[] { 0x44 })]
    [TestCase(Sh, 0x1122_3344u, MmioWidth.HalfWord, new byte[] { 0x44, 0x33 })]
    [TestCase(Sw, 0x1122_3344u, MmioWidth.Word, new byte[] { 0x44, 0x33, 0x22, 0x11 })]
    public void Stores_write_the_low_bytes_of_rt(uint op, uint value, MmioWidth width, byte[] expected)
    {
        var (bus, mem) = Setup();
        var gpr = new uint[32];
        gpr[7] = value;
        uint pc = 0x100;
        Assert.That(Run(bus, I(op, 1, 7, 0x20), Base + 0x20, gpr, ref pc), Is.EqualTo(MmioResult.Done));
        Assert.That(mem.Bytes[0x20..(0x20 + expected.Length)], Is.EqualTo(expected));
        Assert.That(mem.Bytes[0x20 + expected.Length], Is.EqualTo((byte)(0xa0 + expected.Length)), "the byte after is untouched");
        Assert.That(mem.Accesses.Single(), Is.EqualTo((true, 0x20UL, width)));
        Assert.That(pc, Is.EqualTo(0x104u));
    }

    [Test]
    public void Loads_into_r0_are_discarded()
    {
        var (bus, _) = Setup();
        var gpr = new uint[32];
        uint pc = 0;
        Assert.That(Run(bus, I(Lw, 0, 0, 0), Base, gpr, ref pc), Is.EqualTo(MmioResult.Done));
        Assert.That(gpr[0], Is.Zero);
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
        var (bus, mem) = Setup();
        var gpr = new uint[32];
        uint pc = 0;
        // The compiler idiom for an unaligned LE load at 0x13: lwr rt,0(a); lwl rt,3(a)
        Run(bus, I(Lwr, 4, 8, 0), Base + 0x13, gpr, ref pc);
        Run(bus, I(Lwl, 4, 8, 3), Base + 0x16, gpr, ref pc);
        Assert.That(gpr[8], Is.EqualTo(BitConverter.ToUInt32(mem.Bytes, 0x13)));
    }

    [Test]
    public void Swl_swr_pair_stores_an_unaligned_word()
    {
        var (bus, mem) = Setup();
        var gpr = new uint[32];
        gpr[8] = 0xdead_beef;
        uint pc = 0;
        Run(bus, I(Swr, 4, 8, 0), Base + 0x21, gpr, ref pc);
        Run(bus, I(Swl, 4, 8, 3), Base + 0x24, gpr, ref pc);
        Assert.That(BitConverter.ToUInt32(mem.Bytes, 0x21), Is.EqualTo(0xdead_beefu));
        Assert.That(mem.Bytes[0x20], Is.EqualTo((byte)0xa0));
        Assert.That(mem.Bytes[0x25], Is.EqualTo((byte)0xa5));
    }

    [FsCheck.NUnit.Property(MaxTest = 500, Replay = "20260702,9")]
    public Property Unaligned_forms_match_the_byte_model(byte offset, uint old, bool left, bool store)
    {
        var (bus, mem) = Setup();
        var address = offset % 0xfc;
        var expected = (byte[])mem.Bytes.Clone();
        var gpr = new uint[32];
        gpr[3] = old;
        uint pc = 0;
        var op = store ? (left ? Swl : Swr) : (left ? Lwl : Lwr);
        var result = Run(bus, I(op, 0, 3, 0), Base + (ulong)address, gpr, ref pc);
        if (store)
        {
            RefStore(expected, address, old, left);
            return (result == MmioResult.Done && mem.Bytes.AsSpan().SequenceEqual(expected)).ToProperty();
        }
        var touched = mem.Accesses.Sum(a => (int)a.Width);
        var lanes = left ? (address & 3) + 1 : 4 - (address & 3);
        return (result == MmioResult.Done && gpr[3] == RefLoad(mem.Bytes, address, old, left) && touched == lanes)
            .Label($"got 0x{gpr[3]:x8}, touched {touched} of {lanes} lanes");
    }

    [TestCase(1, new[] { MmioWidth.HalfWord }, new ulong[] { 0x40 })]           // lwl b=1: lanes 0-1
    [TestCase(2, new[] { MmioWidth.HalfWord, MmioWidth.Byte }, new ulong[] { 0x40, 0x42 })] // lwl b=2: lanes 0-2
    [TestCase(3, new[] { MmioWidth.Word }, new ulong[] { 0x40 })]
    public void Lwl_touches_only_its_lanes_with_natural_widths(int b, MmioWidth[] widths, ulong[] offsets)
    {
        var (bus, mem) = Setup();
        var gpr = new uint[32];
        uint pc = 0;
        Run(bus, I(Lwl, 0, 3, 0), Base + 0x40 + (ulong)b, gpr, ref pc);
        Assert.That(mem.Accesses.Select(a => a.Width), Is.EqualTo(widths));
        Assert.That(mem.Accesses.Select(a => a.Offset), Is.EqualTo(offsets));
    }

    [Test]
    public void Unmapped_addresses_change_nothing()
    {
        var (bus, _) = Setup();
        var gpr = Enumerable.Range(0, 32).Select(i => (uint)i * 3).ToArray();
        var before = (uint[])gpr.Clone();
        uint pc = 0x80000100;
        Assert.That(Run(bus, I(Lw, 0, 9, 0), Base + 0x100, gpr, ref pc), Is.EqualTo(MmioResult.Unmapped));
        Assert.That(Run(bus, I(Sw, 0, 9, 0), 0x1234, gpr, ref pc), Is.EqualTo(MmioResult.Unmapped));
        Assert.That(Run(bus, I(Swr, 0, 9, 0), Base + 0xff, gpr, ref pc), Is.EqualTo(MmioResult.Done), "1 byte at the end fits");
        Assert.That(Run(bus, I(Swl, 0, 9, 0), Base + 0x102, gpr, ref pc), Is.EqualTo(MmioResult.Unmapped));
        Assert.That(Run(bus, I(Lw, 0, 9, 0), Base + 0xfe, gpr, ref pc), Is.EqualTo(MmioResult.Unmapped), "a word crossing the end");
        Assert.That(gpr, Is.EqualTo(before));
        Assert.That(pc, Is.EqualTo(0x80000104u));
    }

    [TestCase(Ll)]
    [TestCase(Sc)]
    [TestCase(0x31u)] // LWC1
    [TestCase(0x39u)] // SWC1
    [TestCase(0x09u)] // ADDIU
    public void Atomic_fpu_and_non_memory_instructions_are_unsupported(uint op)
    {
        var (bus, mem) = Setup();
        var gpr = new uint[32];
        uint pc = 0x40;
        Assert.That(Run(bus, I(op, 0, 4, 0), Base, gpr, ref pc), Is.EqualTo(MmioResult.Unsupported));
        Assert.That(pc, Is.EqualTo(0x40u));
        Assert.That(mem.Accesses, Is.Empty);
    }

    [Test]
    public void Cache_on_unmapped_memory_is_skipped()
    {
        var bus = new MmioBus();
        var gpr = new uint[32];
        uint pc = 0x80;
        Assert.That(Run(bus, I(Cache, 4, 0x15, 0), 0x5000_0000, gpr, ref pc), Is.EqualTo(MmioResult.Skipped));
        Assert.That(pc, Is.EqualTo(0x84u));
    }

    [FsCheck.NUnit.Property(MaxTest = 3000, Replay = "20260702,11")]
    public Property Any_instruction_word_and_address_never_throws(uint insn, uint branch, bool bd, uint address)
    {
        var (bus, _) = Setup();
        var gpr = new uint[32];
        uint pc = 0x8000_0000;
        var r = MmioEmulation.Handle(bus, 0, Base + (address & 0x1ff), insn, branch, bd, gpr, ref pc);
        return Enum.IsDefined(r).ToProperty();
    }
}
