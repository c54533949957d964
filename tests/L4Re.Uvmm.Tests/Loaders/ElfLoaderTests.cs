using System.Globalization;
using System.Text.RegularExpressions;
using L4Re.Kernel.Memory;
using L4Re.Uvmm.Loaders;
using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Tests.Loaders;

public partial class ElfLoaderTests
{
    private static GuestRam Ram(long size = 256L << 20)
    {
        var ram = new GuestRam();
        ram.Add(0, new Dataspace(size, "ram"), "/memory@0");
        return ram;
    }

    [GeneratedRegex(@"Entry point address:\s+0x([0-9a-f]+)")]
    private static partial Regex EntryRegex();

    [GeneratedRegex(@"^\s+LOAD\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)", RegexOptions.Multiline)]
    private static partial Regex LoadRegex();

    private static uint Hex(string s) => uint.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [Test]
    public void Loads_the_debian_generic_kernel_as_readelf_describes_it()
    {
        var kernel = GuestFiles.Kernel;
        var header = GuestFiles.Run("mipsel-linux-gnu-readelf", $"-h \"{kernel}\"");
        Assert.That(header, Does.Contain("ELF32").And.Contain("little endian").And.Contain("MIPS"));
        var entry = Hex(EntryRegex().Match(header).Groups[1].Value);
        var loads = LoadRegex().Matches(GuestFiles.Run("mipsel-linux-gnu-readelf", $"-l -W \"{kernel}\""));
        Assert.That(loads, Is.Not.Empty);

        var ram = Ram();
        var image = ElfLoader.Load(ram, kernel);
        Assert.That(image.EntryPoint, Is.EqualTo(entry));
        Assert.That(image.EntryPoint & 0xfff0_0000, Is.EqualTo(0x8110_0000u), "entry 0x811x_xxxx in kseg0 (0x81130000 for 6.1)");
        Assert.That(image.Segments, Has.Count.EqualTo(loads.Count));

        var file = File.ReadAllBytes(kernel);
        for (var i = 0; i < loads.Count; i++)
        {
            var g = loads[i].Groups;
            var (offset, paddr, filesz, memsz) = (Hex(g[1].Value), Hex(g[3].Value), Hex(g[4].Value), Hex(g[5].Value));
            var seg = image.Segments[i];
            Assert.That(seg.GuestPhysical, Is.EqualTo((ulong)(paddr & 0x1fff_ffff)));
            Assert.That(seg.FileSize, Is.EqualTo((ulong)filesz));
            Assert.That(seg.MemorySize, Is.EqualTo((ulong)memsz));
            Assert.That(ram.GetSpan(seg.GuestPhysical, (int)filesz).SequenceEqual(file.AsSpan((int)offset, (int)filesz)), Is.True, "file bytes in guest RAM");
            Assert.That(ram.GetSpan(seg.GuestPhysical + filesz, (int)(memsz - filesz)).IndexOfAnyExcept((byte)0), Is.EqualTo(-1), "BSS is zero");
        }
    }

    [Test]
    public void Linux_boot_places_initrd_and_dtb_after_the_kernel_and_sets_uhi_registers()
    {
        var ram = Ram();
        var tree = new L4Re.Uvmm.DeviceTree.DtBuilder().Root(r => r.Cells(1, 1).Compatible("l4,virt").Node("chosen")).Build();
        var initrd = new byte[12345];
        new Random(5).NextBytes(initrd);
        var boot = LinuxBoot.Prepare(ram, tree, GuestFiles.Kernel, initrd, "console=ttyS0,115200 earlycon rdinit=/init nokaslr");
        var (start, end) = boot.Initrd!.Value;
        Assert.That(start % 4096, Is.Zero, "initrd start must be page aligned");
        Assert.That(start, Is.GreaterThanOrEqualTo(boot.Kernel.End), "the self-extracting image and its BSS stay intact");
        Assert.That(end - start, Is.EqualTo((ulong)initrd.Length));
        Assert.That(ram.GetSpan(start, initrd.Length).SequenceEqual(initrd), Is.True);
        Assert.That(boot.DtbAddress, Is.GreaterThanOrEqualTo(end));
        Assert.That(boot.DtbAddress % 8, Is.Zero);

        var dtb = L4Re.Uvmm.DeviceTree.DtTree.FromDtb(ram.GetSpan(boot.DtbAddress, boot.Dtb.Length));
        var chosen = dtb.GetNode("/chosen");
        Assert.That(chosen.GetString("bootargs"), Is.EqualTo("console=ttyS0,115200 earlycon rdinit=/init nokaslr"));
        Assert.That(chosen.GetU32("linux,initrd-start"), Is.EqualTo((uint)start));
        Assert.That(chosen.GetU32("linux,initrd-end"), Is.EqualTo((uint)end));

        var uhi = boot.Boot;
        Assert.That(uhi.A0, Is.EqualTo(0xffff_fffeu), "a0 = -2");
        Assert.That(uhi.A1, Is.EqualTo(0x8000_0000u | (uint)boot.DtbAddress), "a1 = KSEG0 address of the DTB");
        Assert.That((uhi.A2, uhi.A3), Is.EqualTo((0u, 0u)));
        Assert.That(uhi.Status & (UhiBootState.StatusErl | UhiBootState.StatusBev), Is.Zero);
        Assert.That(uhi.Pc, Is.EqualTo(boot.Kernel.EntryPoint));
        var gpr = new uint[32];
        var pc = 0u;
        uhi.Apply(gpr, ref pc);
        Assert.That((gpr[4], gpr[5], pc), Is.EqualTo((uhi.A0, uhi.A1, uhi.Pc)));
    }

    [Test]
    public void Segments_use_p_paddr_and_zero_their_bss()
    {
        var ram = Ram(1 << 20);
        ram.GetSpan(0x2000, 0x100).Fill(0xee);
        var elf = ElfBuilder.Build(0x8000_1000, [
            new(1, 0x8000_1000, 0x8000_1000, [1, 2, 3, 4], 0x10),          // kseg0
            new(1, 0x8000_2000, 0x0000_2000, [5], 0x100),                    // physical p_paddr, BSS over stale bytes
            new(6, 0, 0, [9, 9], 2),                                         // PT_PHDR is ignored
        ]);
        var image = ElfLoader.Load(ram, new MemoryStream(elf), "t.elf");
        Assert.That(image.Segments.Select(s => s.GuestPhysical), Is.EqualTo(new ulong[] { 0x1000, 0x2000 }));
        Assert.That(ram.GetSpan(0x1000, 5).ToArray(), Is.EqualTo(new byte[] { 1, 2, 3, 4, 0 }));
        Assert.That(ram.GetSpan(0x2000, 0x100).ToArray().Skip(1), Is.All.EqualTo((byte)0));
        Assert.That(image.End, Is.EqualTo(0x2100UL));
    }

    [Test]
    public void Rejects_what_is_not_a_loadable_mips32_le_executable()
    {
        var ram = Ram(1 << 20);
        LoaderException Fails(byte[] bytes) => Assert.Throws<LoaderException>(() => ElfLoader.Load(ram, new MemoryStream(bytes), "x"))!;
        var seg = new ElfBuilder.Segment[] { new(1, 0x8000_0000, 0x8000_0000, [1], 1) };
        Assert.That(Fails([1, 2, 3, 4, 5]).Message, Does.Contain("not an ELF"));
        Assert.That(Fails(ElfBuilder.Build(0, seg, machine: 3)).Message, Does.Contain("not MIPS"));
        Assert.That(Fails(ElfBuilder.Build(0, seg, data: 2)).Message, Does.Contain("big-endian").Or.Contain("not"));
        Assert.That(Fails(ElfBuilder.Build(0, seg, type: 1)).Message, Does.Contain("not an executable"));
        Assert.That(Fails(ElfBuilder.Build(0, [new(1, 0xc000_0000, 0xc000_0000, [1], 1)])).Message, Does.Contain("mapped segment"));
        Assert.That(Fails(ElfBuilder.Build(0, [new(1, 0x8020_0000, 0x8020_0000, [1], 1)])).Message, Does.Contain("does not fit guest RAM"));
        Assert.That(Fails(ElfBuilder.Build(0, [new(6, 0, 0, [1], 1)])).Message, Does.Contain("no loadable segment"));
        Assert.That(Assert.Throws<LoaderException>(() => ElfLoader.Load(ram, "/nonexistent/vmlinuz"))!.Message, Does.Contain("cannot read"));
        var x86 = GuestFiles.Run("sh", "-c \"command -v ls\"").Trim();
        Assert.That(Assert.Throws<LoaderException>(() => ElfLoader.Load(ram, x86))!.Message, Does.Contain("not a 32-bit"));
    }

    [Test]
    public void Raw_binaries_load_at_an_address_with_a_kseg0_entry()
    {
        var ram = Ram(1 << 20);
        var image = RawLoader.Load(ram, [0xde, 0xad], 0x4000, "stub");
        Assert.That(image.EntryPoint, Is.EqualTo(0x8000_4000u));
        Assert.That(ram.GetSpan(0x4000, 2).ToArray(), Is.EqualTo(new byte[] { 0xde, 0xad }));
        Assert.That(() => RawLoader.Load(ram, new byte[2], 0xfffff, "x"), Throws.TypeOf<LoaderException>());
    }

    [Test]
    public void Boot_layout_skips_to_the_next_region_and_stays_below_512MiB()
    {
        var ram = new GuestRam();
        ram.Add(0, new Dataspace(0x10000, "a"), "a");
        ram.Add(0x100000, new Dataspace(0x10000, "b"), "b");
        var layout = new BootLayout(ram, 0xf000);
        Assert.That(layout.Allocate(0x2000, 0x1000, "x"), Is.EqualTo(0x100000UL));
        Assert.That(layout.Allocate(8, 8, "y"), Is.EqualTo(0x102000UL));
        Assert.That(() => layout.Allocate(0x20000, 0x1000, "z"), Throws.TypeOf<LoaderException>().With.Message.Contains("no room for the z"));
        Assert.That(() => UhiBootState.ForDtb(0x8000_0000, 0x2000_0000), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => UhiBootState.ForDtb(0x8000_0000, 0x1004), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
