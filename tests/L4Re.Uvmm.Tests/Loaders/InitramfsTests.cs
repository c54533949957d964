using System.Text;
using ELFSharp.ELF;
using ELFSharp.ELF.Sections;

namespace L4Re.Uvmm.Tests.Loaders;

/// <summary>Checks the images scripts/build-initramfs.sh builds, with cpio and the mipsel busybox itself.</summary>
public class InitramfsTests
{
    private static readonly string[] VirtioModules = ["virtio", "virtio_ring", "virtio_mmio", "failover", "net_failover", "virtio_net", "virtio_console"];

    private static string[] List(string image) =>
        GuestFiles.Run("sh", $"-c \"gzip -dc '{image}' | cpio -t --quiet\"").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string Extract(string image)
    {
        var dir = Directory.CreateTempSubdirectory("l4re-initramfs-").FullName;
        GuestFiles.Run("sh", $"-c \"cd '{dir}' && gzip -dc '{image}' | cpio -id --quiet\"");
        return dir;
    }

    [TestCase("marker")]
    [TestCase("virtio")]
    public void Image_has_busybox_and_an_init_that_prints_the_marker_and_powers_off(string name)
    {
        var image = GuestFiles.Initramfs(name);
        var entries = List(image);
        Assert.That(entries, Does.Contain("init").And.Contain("bin/busybox").And.Contain("proc").And.Contain("sys").And.Contain("dev"));
        var dir = Extract(image);
        try
        {
            var init = File.ReadAllText(Path.Combine(dir, "init"));
            Assert.That(init, Does.StartWith("#!/bin/busybox sh\n"));
            Assert.That(init, Does.Contain($"echo \"{GuestFiles.Marker}\""));
            Assert.That(init.IndexOf("cat /proc/cpuinfo", StringComparison.Ordinal), Is.LessThan(init.IndexOf(GuestFiles.Marker, StringComparison.Ordinal)), "cpuinfo before the marker: --until stops at the marker");
            Assert.That(init.TrimEnd(), Does.EndWith("poweroff -f"));
            Assert.That(GuestFiles.Run("stat", $"-c %a \"{Path.Combine(dir, "init")}\"").Trim(), Is.EqualTo("755"));

            using (var busybox = ELFReader.Load(Path.Combine(dir, "bin", "busybox")))
            {
                Assert.That((busybox.Class, busybox.Machine, busybox.Endianess), Is.EqualTo((Class.Bit32, Machine.MIPS, ELFSharp.Endianess.LittleEndian)));
            }
            // The script parses under the very busybox that will run it (qemu-user-static).
            GuestFiles.Run("qemu-mipsel-static", $"\"{Path.Combine(dir, "bin", "busybox")}\" sh -n \"{Path.Combine(dir, "init")}\"");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Virtio_image_insmods_the_modules_in_dependency_order()
    {
        var image = GuestFiles.Initramfs("virtio");
        var dir = Extract(image);
        try
        {
            var init = File.ReadAllLines(Path.Combine(dir, "init"));
            var order = init.Where(l => l.StartsWith("insmod ", StringComparison.Ordinal))
                .Select(l => l.Split(' ')[1].Replace("$M/", "", StringComparison.Ordinal))
                .ToList();
            Assert.That(order.Select(p => Path.GetFileNameWithoutExtension(p)), Is.EqualTo(VirtioModules));
            var moduleRoot = Directory.GetDirectories(Path.Combine(dir, "lib", "modules")).Single();
            var loaded = new HashSet<string>();
            foreach (var relative in order)
            {
                var ko = Path.Combine(moduleRoot, relative);
                Assert.That(File.Exists(ko), Is.True, $"{relative} is in the image");
                foreach (var dependency in Depends(ko))
                    Assert.That(loaded, Does.Contain(dependency), $"{Path.GetFileName(ko)} needs {dependency} loaded first");
                loaded.Add(Path.GetFileNameWithoutExtension(ko));
            }
            Assert.That(File.ReadAllText(Path.Combine(dir, "init")), Does.Contain("/sys/class/net/eth0/address"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The depends= entry of a module's .modinfo section (what depmod would put in modules.dep).</summary>
    private static string[] Depends(string ko)
    {
        using var elf = ELFReader.Load(ko);
        var modinfo = elf.Sections.OfType<ISection>().Single(s => s.Name == ".modinfo");
        var entries = Encoding.ASCII.GetString(modinfo.GetContents()).Split('\0');
        var depends = entries.Single(e => e.StartsWith("depends=", StringComparison.Ordinal))["depends=".Length..];
        return depends.Split(',', StringSplitOptions.RemoveEmptyEntries);
    }

    [Test]
    public void Images_are_small_and_rebuilds_are_cached()
    {
        Assert.That(new FileInfo(GuestFiles.Initramfs("marker")).Length, Is.InRange(500_000, 3_000_000));
        var script = Path.Combine(GuestFiles.RepositoryRoot, "scripts", "build-initramfs.sh");
        var output = GuestFiles.Run("bash", $"\"{script}\" \"{GuestFiles.Cache}\"");
        Assert.That(output, Does.Contain("cached"));
    }
}
