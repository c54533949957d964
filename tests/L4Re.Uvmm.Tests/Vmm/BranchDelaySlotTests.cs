using L4Re.Uvmm.Vmm;
using static L4Re.Uvmm.Tests.Vmm.Asm;

namespace L4Re.Uvmm.Tests.Vmm;

/// <summary>Delay-slot exits: Cause.BD set, EPC at the branch, BadInstrP the branch, BadInstr the load/store.</summary>
public class BranchDelaySlotTests
{
    private const ulong Dev = 0x1f000000;
    private const uint Pc = 0x8010_0000;

    private static (MmioBus Bus, MemoryDevice Mem) Setup()
    {
        var bus = new MmioBus();
        var mem = new MemoryDevice(0x100);
        bus.Add(Dev, 0x100, mem, "mem");
        mem.Bytes[0] = 0x2a;
        return (bus, mem);
    }

    private static (uint Pc, uint[] Gpr) Exit(uint branch, Action<uint[]> setup, uint load = 0)
    {
        var (bus, _) = Setup();
        var gpr = new uint[32];
        setup(gpr);
        var pc = Pc;
        var result = MmioEmulation.Handle(bus, 0, Dev, load == 0 ? I(Lbu, 0, 2, 0) : load, branch, true, gpr, ref pc);
        Assert.That(result, Is.EqualTo(MmioResult.Done));
        return (pc, gpr);
    }

    private const uint Target = Pc + 4 + 0x40 * 4;
    private const uint NotTaken = Pc + 8;

    [TestCase(0x04u, 5u, 5u, Target)]    // BEQ taken
    [TestCase(0x04u, 5u, 6u, NotTaken)]  // BEQ not taken
    [TestCase(0x05u, 5u, 6u, Target)]    // BNE taken
    [TestCase(0x05u, 5u, 5u, NotTaken)]
    public void Beq_bne(uint op, uint a, uint b, uint expected)
    {
        var (pc, gpr) = Exit(I(op, 8, 9, 0x40), g => { g[8] = a; g[9] = b; });
        Assert.That(pc, Is.EqualTo(expected));
        Assert.That(gpr[2], Is.EqualTo(0x2au), "the delay-slot load completed");
    }

    [TestCase(0x06u, 0u, Target)]           // BLEZ 0
    [TestCase(0x06u, 0x8000_0000u, Target)] // BLEZ negative
    [TestCase(0x06u, 1u, NotTaken)]
    [TestCase(0x07u, 1u, Target)]           // BGTZ
    [TestCase(0x07u, 0u, NotTaken)]
    [TestCase(0x07u, 0xffff_ffffu, NotTaken)]
    public void Blez_bgtz(uint op, uint value, uint expected) =>
        Assert.That(Exit(I(op, 8, 0, 0x40), g => g[8] = value).Pc, Is.EqualTo(expected));

    [TestCase(0x00, 0xffff_fff0u, Target)]   // BLTZ
    [TestCase(0x00, 0u, NotTaken)]
    [TestCase(0x01, 0u, Target)]             // BGEZ
    [TestCase(0x01, 0x8000_0000u, NotTaken)]
    public void Bltz_bgez(int rt, uint value, uint expected) =>
        Assert.That(Exit(Regimm(rt, 8, 0x40), g => g[8] = value).Pc, Is.EqualTo(expected));

    [TestCase(0x10, 0xffff_fff0u, Target)]   // BLTZAL taken
    [TestCase(0x10, 1u, NotTaken)]           // BLTZAL not taken: still links
    [TestCase(0x11, 1u, Target)]             // BGEZAL
    public void Branch_and_link_writes_ra_either_way(int rt, uint value, uint expected)
    {
        var (pc, gpr) = Exit(Regimm(rt, 8, 0x40), g => g[8] = value);
        Assert.That(pc, Is.EqualTo(expected));
        Assert.That(gpr[31], Is.EqualTo(Pc + 8));
    }

    [Test]
    public void Bal_is_bgezal_r0() =>
        Assert.That(Exit(Regimm(0x11, 0, -4), _ => { }).Pc, Is.EqualTo(Pc + 4 - 16));

    [TestCase(0x14u)] // BEQL
    [TestCase(0x15u)] // BNEL
    [TestCase(0x16u)] // BLEZL
    [TestCase(0x17u)] // BGTZL
    public void Branch_likely_in_a_delay_slot_was_taken(uint op) =>
        Assert.That(Exit(I(op, 8, op is 0x14 or 0x15 ? 9 : 0, 0x40), g => g[8] = 1).Pc, Is.EqualTo(Target));

    [TestCase(0x02, -1)] // BLTZL
    [TestCase(0x03, -1)] // BGEZL
    [TestCase(0x12, 31)] // BLTZALL
    [TestCase(0x13, 31)] // BGEZALL
    public void Branch_likely_regimm_forms(int rt, int link)
    {
        var (pc, gpr) = Exit(Regimm(rt, 8, 0x40), g => g[8] = 5);
        Assert.That(pc, Is.EqualTo(Target));
        Assert.That(gpr[31], Is.EqualTo(link < 0 ? 0u : Pc + 8));
    }

    [Test]
    public void J_and_jal_stay_in_the_256MB_segment()
    {
        var (pc, gpr) = Exit(J(0x02, 0x0123_4568), _ => { });
        Assert.That(pc, Is.EqualTo(0x8123_4568u));
        Assert.That(gpr[31], Is.Zero);
        (pc, gpr) = Exit(J(0x03, 0x0000_0100), _ => { });
        Assert.That(pc, Is.EqualTo(0x8000_0100u));
        Assert.That(gpr[31], Is.EqualTo(Pc + 8));
    }

    [Test]
    public void Jr_and_jalr_use_rs_and_rd()
    {
        var (pc, _) = Exit(R(0x08, 25, 0, 0), g => g[25] = 0x8040_0000);
        Assert.That(pc, Is.EqualTo(0x8040_0000u));
        var (pc2, gpr) = Exit(R(0x09, 25, 0, 17), g => g[25] = 0x8050_0000);
        Assert.That(pc2, Is.EqualTo(0x8050_0000u));
        Assert.That(gpr[17], Is.EqualTo(Pc + 8));
        var (pc3, _) = Exit(R(0x08, 25, 0, 0, 0x10), g => g[25] = 0x8060_0000); // JR.HB
        Assert.That(pc3, Is.EqualTo(0x8060_0000u));
    }

    [Test]
    public void The_branch_sees_the_registers_before_the_delay_slot_load()
    {
        // beq v0, zero, target ; lbu v0, 0(dev) -- the condition uses the old v0 (0), the load then sets v0.
        var (pc, gpr) = Exit(I(0x04, 2, 0, 0x40), g => g[2] = 0);
        Assert.That(pc, Is.EqualTo(Target));
        Assert.That(gpr[2], Is.EqualTo(0x2au));
        // jr ra ; lw ra, 0(dev): jumps to the old ra, then ra holds the loaded value.
        var (pc2, gpr2) = Exit(R(0x08, 31, 0, 0), g => g[31] = 0x8070_0000, load: I(Lbu, 0, 31, 0));
        Assert.That(pc2, Is.EqualTo(0x8070_0000u));
        Assert.That(gpr2[31], Is.EqualTo(0x2au));
        // jal f ; lbu ra, 0(dev): the link is written first, the load overwrites it (as the hardware orders them).
        var (_, gpr3) = Exit(J(0x03, 0x100), _ => { }, load: I(Lbu, 0, 31, 0));
        Assert.That(gpr3[31], Is.EqualTo(0x2au));
    }

    [Test]
    public void A_non_branch_in_BadInstrP_is_a_malformed_exit()
    {
        var (bus, mem) = Setup();
        var gpr = new uint[32];
        var pc = Pc;
        Assert.That(MmioEmulation.Handle(bus, 0, Dev, I(Lw, 0, 2, 0), I(0x09, 0, 0, 1), true, gpr, ref pc), Is.EqualTo(MmioResult.BadBranch));
        Assert.That(pc, Is.EqualTo(Pc));
        Assert.That(mem.Accesses, Is.Empty, "nothing is accessed when the exit cannot be completed");
    }

    [Test]
    public void Delay_slot_stores_work_too()
    {
        var (bus, mem) = Setup();
        var gpr = new uint[32];
        gpr[4] = 0x77;
        var pc = Pc;
        Assert.That(MmioEmulation.Handle(bus, 0, Dev + 8, I(Sb, 0, 4, 8), J(0x02, 0x200), true, gpr, ref pc), Is.EqualTo(MmioResult.Done));
        Assert.That(mem.Bytes[8], Is.EqualTo((byte)0x77));
        Assert.That(pc, Is.EqualTo(0x8000_0200u));
    }
}
