using FsCheck;
using FsCheck.Fluent;
using L4Re.Uvmm.Devices;
using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Tests.Devices;

/// <summary>The register behaviour drivers/irqchip/irq-mips-gic.c relies on.</summary>
public class GicTests
{
    private const int Local = 0x8000, Other = 0xc000;

    private sealed class EoiCounter : IIrqSourceHandler
    {
        public int Count;
        public void Eoi() => Count++;
    }

    private static (MipsGic Gic, CoreInterruptControllers Cores, ManualClock Clock) Make(int cpus = 2)
    {
        var cores = new CoreInterruptControllers(cpus);
        var clock = new ManualClock();
        return (new MipsGic(cores, clock, counterHz: 100_000_000), cores, clock);
    }

    private static uint R(MipsGic g, int offset, int vcpu = 0) => (uint)g.Read((ulong)offset, MmioWidth.Word, vcpu);
    private static void W(MipsGic g, int offset, uint value, int vcpu = 0) => g.Write((ulong)offset, MmioWidth.Word, value, vcpu);

    // Linux: write_gic_map_pin / write_gic_map_vp / write_gic_smask / write_gic_rmask for shared interrupt n.
    private static void MapLikeLinux(MipsGic g, int irq, int pin, int vp)
    {
        W(g, 0x500 + 4 * irq, MipsGic.MapToPin | (uint)pin);
        W(g, 0x2000 + 0x20 * irq, 1u << vp);
    }

    private static void Unmask(MipsGic g, int irq) => W(g, 0x380 + irq / 32 * 4, 1u << (irq % 32));
    private static void MaskIrq(MipsGic g, int irq) => W(g, 0x300 + irq / 32 * 4, 1u << (irq % 32));

    [Test]
    public void Config_and_revision_describe_128_interrupts_rev_4_0()
    {
        var (gic, _, _) = Make(cpus: 2);
        var config = R(gic, 0x0);
        var sharedIntrs = ((config >> 16 & 0xff) + 1) * 8; // irq-mips-gic.c gic_of_init
        Assert.That(sharedIntrs, Is.EqualTo(128u));
        Assert.That((config >> 24 & 0xf) * 4 + 32, Is.EqualTo(64u), "count width as mips-gic-timer computes it");
        Assert.That(config & 0x7f, Is.EqualTo(1u), "PVPS = VPs - 1");
        Assert.That(R(gic, 0x20), Is.EqualTo(0x400u));
    }

    [Test]
    public void Linux_default_setup_then_a_level_interrupt_reaches_core_line_2()
    {
        var (gic, cores, _) = Make();
        // gic_of_init: every interrupt active-high level, masked.
        for (var i = 0; i < 128; i++)
        {
            W(gic, 0x100 + i / 32 * 4, R(gic, 0x100 + i / 32 * 4) | 1u << (i % 32));
            W(gic, 0x180 + i / 32 * 4, R(gic, 0x180 + i / 32 * 4) & ~(1u << (i % 32)));
            MaskIrq(gic, i);
        }
        MapLikeLinux(gic, 4, pin: 0, vp: 0); // gic_cpu_pin = 0 when cpu vector 2 is the first free one
        gic.Set(4);
        Assert.That(R(gic, 0x480) & 1u << 4, Is.Not.Zero, "pending is visible while masked");
        Assert.That(cores[0]!.PendingLines, Is.Zero, "masked");
        Unmask(gic, 4);
        Assert.That(R(gic, 0x400) & 1u << 4, Is.Not.Zero);
        Assert.That(cores[0]!.PendingLines, Is.EqualTo(1u), "IP2");
        Assert.That(cores[0]!.ApplyToGuestCtl2(0), Is.EqualTo(1u << 10), "GuestCtl2.VIP bit 10 = IP2");
        gic.Clear(4);
        Assert.That(R(gic, 0x480), Is.Zero);
        Assert.That(cores[0]!.PendingLines, Is.Zero);
    }

    [Test]
    public void Masking_hides_and_unmasking_reinjects_and_notifies_the_source()
    {
        var (gic, cores, _) = Make();
        var eoi = new EoiCounter();
        gic.BindSourceHandler(33, eoi);
        MapLikeLinux(gic, 33, pin: 1, vp: 0);
        Unmask(gic, 33);
        Assert.That(eoi.Count, Is.EqualTo(1));
        gic.Set(33);
        Assert.That(cores[0]!.PendingLines, Is.EqualTo(0b10u), "pin 1 -> IP3");
        MaskIrq(gic, 33);
        Assert.That(cores[0]!.PendingLines, Is.Zero);
        Unmask(gic, 33);
        Assert.That(cores[0]!.PendingLines, Is.EqualTo(0b10u));
        Assert.That(eoi.Count, Is.EqualTo(2));
        Assert.That(() => gic.BindSourceHandler(33, new EoiCounter()), Throws.InvalidOperationException);
    }

    [Test]
    public void Edge_interrupts_latch_and_are_acked_through_wedge()
    {
        var (gic, cores, _) = Make();
        W(gic, 0x180, 1u << 7); // edge
        W(gic, 0x100, 1u << 7); // rising
        MapLikeLinux(gic, 7, 0, 0);
        Unmask(gic, 7);
        gic.Set(7);
        gic.Clear(7);
        Assert.That(gic.IsPending(7), Is.True, "latched edge");
        W(gic, 0x280, 7); // gic_ack_irq: write_gic_wedge(irq)
        Assert.That(gic.IsPending(7), Is.False);
        Assert.That(cores[0]!.PendingLines, Is.Zero);
    }

    [Test]
    public void Wedge_with_rw_raises_an_ipi_on_the_mapped_vp()
    {
        var (gic, cores, _) = Make();
        W(gic, 0x180 + 3 * 4, 1u << 30); // irq 126 edge
        MapLikeLinux(gic, 126, pin: 0, vp: 1);
        Unmask(gic, 126);
        W(gic, 0x280, MipsGic.WedgeRw | 126);
        Assert.That(cores[1]!.PendingLines, Is.EqualTo(1u));
        Assert.That(cores[0]!.PendingLines, Is.Zero);
        W(gic, 0x280, 126);
        Assert.That(cores[1]!.PendingLines, Is.Zero);
    }

    [Test]
    public void Remapping_moves_the_line_between_vps_and_pins()
    {
        var (gic, cores, _) = Make();
        MapLikeLinux(gic, 10, 0, 0);
        Unmask(gic, 10);
        gic.Set(10);
        Assert.That(cores[0]!.PendingLines, Is.EqualTo(1u));
        W(gic, 0x2000 + 0x20 * 10, 0b10); // gic_set_affinity: write_gic_map_vp
        Assert.That(cores[0]!.PendingLines, Is.Zero);
        Assert.That(cores[1]!.PendingLines, Is.EqualTo(1u));
        W(gic, 0x500 + 4 * 10, MipsGic.MapToPin | 5);
        Assert.That(cores[1]!.PendingLines, Is.EqualTo(1u << 5), "pin 5 -> IP7");
        W(gic, 0x500 + 4 * 10, MipsGic.MapToNmi);
        Assert.That(cores[1]!.PendingLines, Is.Zero, "NMI routing is not a core line");
    }

    [Test]
    public void Shared_lines_count_their_sources()
    {
        var (gic, cores, _) = Make();
        MapLikeLinux(gic, 1, 0, 0);
        MapLikeLinux(gic, 2, 0, 0);
        Unmask(gic, 1);
        Unmask(gic, 2);
        gic.Set(1);
        gic.Set(2);
        gic.Clear(1);
        Assert.That(cores[0]!.PendingLines, Is.EqualTo(1u), "irq 2 still holds the line");
        gic.Clear(2);
        Assert.That(cores[0]!.PendingLines, Is.Zero);
    }

    [Test]
    public void Local_section_ident_and_other_window()
    {
        var (gic, _, _) = Make();
        Assert.That(R(gic, Local + 0x88, vcpu: 1), Is.EqualTo(1u));
        W(gic, Local + 0x80, 1, vcpu: 0); // write_gic_vl_other(1)
        Assert.That(R(gic, Other + 0x88, vcpu: 0), Is.EqualTo(1u), "core-other window shows VP 1");
        W(gic, Other + 0x44, MipsGic.MapToPin | 2, vcpu: 0); // write_gic_vo_map(COMPARE)
        W(gic, Local + 0x80, 0, vcpu: 0);
        Assert.That(R(gic, Local + 0x44, vcpu: 1), Is.EqualTo(MipsGic.MapToPin | 2));
        Assert.That(R(gic, Local + 0x00), Is.Zero, "VL_CTL: no EIC, timer not routable -> Linux uses the CP0 timer line");
    }

    [Test]
    public void Counter_follows_virtual_time_and_countstop_freezes_it()
    {
        var (gic, _, clock) = Make();
        clock.Advance(1_000_000); // 1 ms at 100 MHz
        Assert.That(R(gic, 0x10), Is.EqualTo(100_000u));
        Assert.That(R(gic, 0x10000), Is.EqualTo(100_000u), "user-visible counter");
        W(gic, 0x0, MipsGic.ConfigCountStop);
        clock.Advance(1_000_000);
        Assert.That(R(gic, 0x10), Is.EqualTo(100_000u));
        W(gic, 0x0, 0);
        clock.Advance(10);
        Assert.That(R(gic, 0x10), Is.EqualTo(100_001u));
    }

    [Test]
    public void Local_compare_timer_fires_on_its_pin_and_is_acked_by_writing_compare()
    {
        var (gic, cores, clock) = Make();
        W(gic, Local + 0x44, MipsGic.MapToPin | 1); // COMPARE_MAP -> pin 1 (IP3)
        W(gic, Local + 0x10, 1u << MipsGic.LocalCompare); // VL_SMASK
        var now = (ulong)R(gic, 0x10) | (ulong)R(gic, 0x14) << 32;
        W(gic, Local + 0xa4, (uint)((now + 500) >> 32));
        W(gic, Local + 0xa0, (uint)(now + 500));
        Assert.That(gic.NextTimerDeadline, Is.EqualTo(5_000UL), "500 ticks at 100 MHz");
        clock.Advance(4_990);
        gic.Poll();
        Assert.That(cores[0]!.PendingLines, Is.Zero);
        clock.Advance(10);
        gic.Poll();
        Assert.That(R(gic, Local + 0x04) & 2, Is.EqualTo(2u), "VL_PEND.COMPARE");
        Assert.That(cores[0]!.PendingLines, Is.EqualTo(0b10u));
        W(gic, Local + 0xa0, R(gic, Local + 0xa0)); // gic_compare_interrupt: write_gic_vl_compare(read_gic_vl_compare())
        Assert.That(cores[0]!.PendingLines, Is.Zero);
        Assert.That(gic.NextTimerDeadline, Is.Null, "a compare value already passed does not fire");
    }

    [Test]
    public void Sub_word_accesses_are_ignored_like_uvmm()
    {
        var (gic, _, _) = Make();
        gic.Write(0x380, MmioWidth.Byte, 0xff, 0);
        Assert.That(R(gic, 0x400), Is.Zero);
        Assert.That(gic.Read(0x20, MmioWidth.HalfWord, 0), Is.Zero);
    }

    [Test]
    public void Device_tree_specifiers_are_shared_interrupts()
    {
        var (gic, _, _) = Make();
        Assert.That(gic.TryDecodeInterrupt([0, 4, 4], out var irq), Is.True);
        Assert.That(irq, Is.EqualTo(4));
        Assert.That(gic.TryDecodeInterrupt([1, 1, 0], out _), Is.False, "GIC_LOCAL");
        Assert.That(gic.TryDecodeInterrupt([0, 128, 4], out _), Is.False);
        Assert.That(gic.TryDecodeInterrupt([0, 4], out _), Is.False);
    }

    [FsCheck.NUnit.Property(MaxTest = 2000, Replay = "20260702,13")]
    public Property Any_access_is_harmless(uint offset, byte width, uint value, byte vcpu, bool write)
    {
        var (gic, _, clock) = Make();
        var w = (MmioWidth)(1 << (width % 4));
        var off = (ulong)(offset % 0x20000);
        clock.Advance(value);
        if (write)
            gic.Write(off, w, value, vcpu % 4);
        else
            gic.Read(off, w, vcpu % 4);
        gic.Set((int)(value % 300));
        gic.Poll();
        return true.ToProperty();
    }
}
