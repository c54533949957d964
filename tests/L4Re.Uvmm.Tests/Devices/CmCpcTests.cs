using L4Re.Uvmm.Devices;
using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Tests.Devices;

/// <summary>What arch/mips/kernel/mips-cm.c, mips-cpc.c and smp-cps.c do with the CM and CPC.</summary>
public class CmCpcTests
{
    private sealed class Power : IVcpuPowerControl
    {
        public List<(int Vcpu, uint Pc)> Started { get; } = [];
        public List<int> Stopped { get; } = [];
        public void PowerUp(int vcpu, uint resetVector) => Started.Add((vcpu, resetVector));
        public void PowerDown(int vcpu) => Stopped.Add(vcpu);
    }

    private static uint R(IMmioDevice d, int o, int vcpu = 0) => (uint)d.Read((ulong)o, MmioWidth.Word, vcpu);
    private static void W(IMmioDevice d, int o, uint v, int vcpu = 0) => d.Write((ulong)o, MmioWidth.Word, v, vcpu);

    [Test]
    public void Mips_cm_probe_finds_the_gcrs_where_cmgcrbase_points()
    {
        var cm = new CoherencyManager(cpuCount: 2);
        var addr = (ulong)(cm.CmGcrBaseRegister & 0xffff_fc00) << 4; // __mips_cm_phys_base: (cmgcr & MIPS_CMGCRF_BASE) << 4
        Assert.That(addr, Is.EqualTo(0x1fbf8000UL));
        Assert.That(R(cm, 0x08) & 0xffff_8000, Is.EqualTo((uint)addr), "GCR_BASE sanity check");
        W(cm, 0x08, (R(cm, 0x08) & ~3u) | 1); // change_gcr_base(CMDEFTGT, MEM)
        Assert.That(R(cm, 0x08), Is.EqualTo(0x1fbf8001u));
        Assert.That(R(cm, 0x30) >> 8 & 0xff, Is.EqualTo(8u), "CM3");
        Assert.That((R(cm, 0x00) & 0xff) + 1, Is.EqualTo(2u), "mips_cm_numcores");
        Assert.That(R(cm, 0x150) & 0xf, Is.EqualTo(1u), "GCR_SYS_CONFIG2.MAXVPW");
    }

    [Test]
    public void L2_sync_region_follows_the_cm_inside_its_region()
    {
        var cm = new CoherencyManager(1);
        var bus = new MmioBus();
        bus.Add(cm.Base, CoherencyManager.RegionSize, cm, "cm");
        Assert.That(R(cm, 0x70) & 1, Is.Zero);
        var l2sync = cm.Base + 0x8000; // mips_cm_l2sync_phys_base default
        W(cm, 0x70, (uint)l2sync | 1);
        Assert.That(bus.TryWrite(l2sync, MmioWidth.Word, 0, 0), Is.True, "mips_cm_l2sync() writes there");
    }

    [Test]
    public void Gic_and_cpc_bases()
    {
        var cm = new CoherencyManager(1);
        Assert.That(R(cm, 0xd0) & 1, Is.EqualTo(1u), "GIC_STATUS.EX");
        W(cm, 0x80, 0x1bdc0000 | 1); // gic_of_init: write_gcr_gic_base(gic_base | GICEN)
        Assert.That(R(cm, 0x80), Is.EqualTo(0x1bdc0001u));
        Assert.That(R(cm, 0xf0) & 1, Is.EqualTo(1u), "CPC_STATUS.EX");
        Assert.That(R(cm, 0x88), Is.EqualTo(0x1bde0001u), "CPC enabled at its base: mips_cpc_phys_base keeps it");
        W(cm, 0x88, 0x1000_0001);
        Assert.That(R(cm, 0x88), Is.EqualTo(0x1bde0001u), "moving the CPC is ignored");
        var noCpc = new CoherencyManager(1, cpcBase: 0);
        Assert.That(R(noCpc, 0xf0), Is.Zero);
    }

    [Test]
    public void Core_other_selects_core_blocks_for_cm_and_cpc_and_reset_starts_the_vcpu()
    {
        var cm = new CoherencyManager(2);
        var power = new Power();
        var cpc = new ClusterPowerController(cm, power);
        // smp-cps boot_core for core 1: mips_cm_lock_other(0, 1, 0, LOCAL), set coherence & reset base, CPC reset.
        W(cm, 0x2018, 1 << 8);
        Assert.That(R(cm, 0x4028), Is.EqualTo(1u), "GCR_CO_ID");
        W(cm, 0x4020, 0xbfc0_1000);
        W(cm, 0x4008, 0xff);
        Assert.That(cpc.SequencerState(1), Is.Not.EqualTo(ClusterPowerController.SeqCoherent));
        W(cpc, 0x4000, ClusterPowerController.CmdReset);
        Assert.That(power.Started, Is.EqualTo(new[] { (1, 0xbfc0_1000u) }));
        Assert.That(R(cpc, 0x4008) >> 19 & 0xf, Is.EqualTo(ClusterPowerController.SeqCoherent), "U6: the boot loop ends");
        Assert.That(R(cpc, 0x4000) & 0xf, Is.EqualTo(ClusterPowerController.CmdReset));
        W(cpc, 0x4000, ClusterPowerController.CmdPowerDown);
        Assert.That(power.Stopped, Is.EqualTo(new[] { 1 }));
        Assert.That(cpc.SequencerState(1), Is.EqualTo(ClusterPowerController.SeqPowerDown));
        Assert.That(R(cm, 0x2028, vcpu: 1), Is.EqualTo(1u), "GCR_CL_ID of vCPU 1");
    }

    [Test]
    public void Reset_base_bit_0_selects_the_bev_base()
    {
        var cm = new CoherencyManager(2);
        W(cm, 0x680, 0xbfc0_0000);
        W(cm, 0x2020, 1, vcpu: 1);
        Assert.That(cm.ResetVector(1), Is.EqualTo(0xbfc0_0000u));
    }

    [Test]
    public void Unknown_registers_and_cores_are_harmless()
    {
        var cm = new CoherencyManager(1);
        var cpc = new ClusterPowerController(cm);
        W(cm, 0x2018, 5 << 8); // other core 5 does not exist
        Assert.That(R(cm, 0x4028), Is.Zero);
        W(cpc, 0x4000, ClusterPowerController.CmdReset);
        Assert.That(R(cpc, 0x4008), Is.Zero);
        Assert.That(cm.Read(0x1234, MmioWidth.Byte, 0), Is.Zero);
        Assert.That(cpc.Read(0xfff0, MmioWidth.Word, 3), Is.Zero);
    }
}
