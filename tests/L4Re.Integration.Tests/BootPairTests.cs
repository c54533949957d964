using System.Text.RegularExpressions;
using L4Re.Uvmm.Tests.Loaders;

namespace L4Re.Integration.Tests;

/// <summary>
/// Issue 5 (virtio initramfs) and issue 6 joint acceptance, one <c>l4re boot-pair</c> run shared by the assertions:
/// two Debian Linux VMs whose virtio-mmio slots are L4Re.Vio devices — a virtio console each and virtio-net ports
/// of one switch — boot in one thread on one virtual timeline; <c>virtio_mmio</c> binds the devices, eth0 has the
/// configured MAC, and the VMs ping each other (busybox <c>ping -c 3</c>) through the switch.
/// </summary>
[NonParallelizable]
public class BootPairTests
{
    private static readonly string[] Macs = ["02:4c:34:00:00:01", "02:4c:34:00:00:02"];
    private int _rc;
    private string _stdout = "";
    private string _stderr = "";
    private string _pcap = "";

    [OneTimeSetUp]
    public void Boot()
    {
        _pcap = Path.Combine(Path.GetTempPath(), $"l4re-boot-pair-{Guid.NewGuid():N}.pcap");
        (_rc, _stdout, _stderr) = CliRunner.Run("boot-pair", "--kernel", GuestFiles.Kernel, "--initrd", GuestFiles.Initramfs("virtio"),
            "--until", GuestFiles.Marker, "--max-seconds", "900", "--pcap", _pcap);
    }

    [OneTimeTearDown]
    public void Cleanup() => File.Delete(_pcap);

    private string Vm(int i) => string.Join('\n', _stdout.Split('\n').Where(l => l.StartsWith($"[vm{i}] ", StringComparison.Ordinal)).Select(l => l[6..]));

    [Test]
    public void Both_vms_reach_the_marker_without_kernel_trouble()
    {
        Assert.That(_rc, Is.EqualTo(0), _stderr + "\n" + (_stdout.Length > 4000 ? _stdout[^4000..] : _stdout));
        for (var i = 0; i < 2; i++)
        {
            Assert.That(Vm(i), Does.Contain(GuestFiles.Marker), $"vm{i}");
            Assert.That(LinuxBootTests.KernelTrouble().Matches(Vm(i)).Select(m => m.Value), Is.Empty, $"vm{i}");
            Assert.That(Vm(i), Does.Not.Match("l4re-initramfs: insmod .* failed"), $"vm{i}: every module loads");
        }
    }

    [Test]
    public void Virtio_net_binds_and_eth0_has_the_configured_mac()
    {
        for (var i = 0; i < 2; i++)
            Assert.That(Vm(i), Does.Contain($"l4re-initramfs: eth0 mac {Macs[i]}"), $"vm{i}");
    }

    [Test]
    public void Virtio_console_binds_and_carries_what_the_guest_writes_to_hvc0()
    {
        for (var i = 0; i < 2; i++)
        {
            Assert.That(Vm(i), Does.Contain("l4re-initramfs: virtio console /dev/hvc0"), $"vm{i}");
            // Written only to /dev/hvc0: it reaches the host only through the virtio console's transmit queue.
            Assert.That(Vm(i), Does.Contain("l4re-initramfs: hello over /dev/hvc0"), $"vm{i}");
        }
    }

    [Test]
    public void The_vms_ping_each_other_without_loss()
    {
        for (var i = 0; i < 2; i++)
        {
            var vm = Vm(i);
            Assert.That(vm, Does.Contain($"--- 10.0.0.{2 - i} ping statistics ---"), $"vm{i}");
            Assert.That(vm, Does.Contain("3 packets transmitted, 3 packets received, 0% packet loss"), $"vm{i}");
            Assert.That(Regex.Matches(vm, $@"64 bytes from 10\.0\.0\.{2 - i}: seq=\d"), Has.Count.EqualTo(3), $"vm{i}");
            Assert.That(vm, Does.Contain("l4re-initramfs: ping exit 0"), $"vm{i}");
        }
    }

    [Test]
    public void The_switch_learned_both_macs_and_forwarded_without_drops()
    {
        Assert.That(_stdout, Does.Contain($"switch: learned {Macs[0]} vlan native on port vm0"));
        Assert.That(_stdout, Does.Contain($"switch: learned {Macs[1]} vlan native on port vm1"));
        foreach (var port in new[] { "vm0", "vm1" })
            Assert.That(_stdout, Does.Match($@"switch: port {port} mac \S+ tx [1-9]\d* frames \(\d+ B, 0 dropped\), rx [1-9]\d* frames \(\d+ B, 0 dropped\)"));
    }

    [Test]
    public void The_monitor_capture_shows_the_echo_requests_and_replies_to_tshark()
    {
        var text = GuestFiles.Run("tshark", $"-r \"{_pcap}\" -Y icmp -T fields -e ip.src -e ip.dst -e icmp.type");
        var rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToList();
        foreach (var (src, dst) in new[] { ("10.0.0.1", "10.0.0.2"), ("10.0.0.2", "10.0.0.1") })
        {
            Assert.That(rows.Count(r => r == $"{src}\t{dst}\t8"), Is.GreaterThanOrEqualTo(3), $"echo requests {src} -> {dst}");
            Assert.That(rows.Count(r => r == $"{dst}\t{src}\t0"), Is.GreaterThanOrEqualTo(3), $"echo replies {dst} -> {src}");
        }
    }
}
