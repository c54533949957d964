using L4Re.Uvmm.DeviceTree;
using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Loaders;

/// <summary>What <see cref="LinuxBoot"/> put where.</summary>
/// <param name="Kernel">The loaded kernel.</param>
/// <param name="Initrd">The initrd's physical [start, end), or null.</param>
/// <param name="DtbAddress">The DTB's physical address.</param>
/// <param name="Dtb">The DTB bytes written to guest RAM.</param>
/// <param name="Boot">The register state to start the boot vCPU with.</param>
public sealed record LinuxBootImage(LoadedImage Kernel, (ulong Start, ulong End)? Initrd, ulong DtbAddress, byte[] Dtb, UhiBootState Boot);

/// <summary>
/// Boots Linux the way uvmm's <c>main.cc</c> does (load the kernel, load the initrd, fill in /chosen, copy the
/// DTB into guest RAM, set the boot registers), with the UHI protocol of the unmodified generic MIPS kernel
/// instead of uvmm's patched "mach-virt" arguments.
/// </summary>
public static class LinuxBoot
{
    /// <summary>Loads a kernel (ELF, or raw at <paramref name="rawLoadAddress"/>), an optional initrd and the DTB.</summary>
    /// <param name="ram">Guest RAM (from the VM's memory nodes).</param>
    /// <param name="tree">The device tree; /chosen bootargs and the initrd range are set in it before it is flattened.</param>
    /// <param name="kernelPath">The kernel file.</param>
    /// <param name="initrd">The initrd bytes, or null.</param>
    /// <param name="bootArgs">The kernel command line, or null to keep the tree's.</param>
    /// <param name="rawLoadAddress">For a non-ELF kernel: its physical load address (entry at its kseg0 address).</param>
    /// <returns>What was placed and the UHI boot state.</returns>
    /// <exception cref="LoaderException">Something does not load or fit.</exception>
    public static LinuxBootImage Prepare(GuestRam ram, DtTree tree, string kernelPath, byte[]? initrd, string? bootArgs, ulong? rawLoadAddress = null)
    {
        var kernel = rawLoadAddress is { } raw ? RawLoader.Load(ram, kernelPath, raw) : ElfLoader.Load(ram, kernelPath);
        return Prepare(ram, tree, kernel, initrd, bootArgs);
    }

    /// <summary>Places the initrd and the DTB after an already loaded kernel.</summary>
    /// <param name="ram">Guest RAM.</param>
    /// <param name="tree">The device tree.</param>
    /// <param name="kernel">The loaded kernel.</param>
    /// <param name="initrd">The initrd bytes, or null.</param>
    /// <param name="bootArgs">The kernel command line, or null to keep the tree's.</param>
    /// <returns>What was placed and the UHI boot state.</returns>
    /// <exception cref="LoaderException">Something does not fit.</exception>
    public static LinuxBootImage Prepare(GuestRam ram, DtTree tree, LoadedImage kernel, byte[]? initrd, string? bootArgs)
    {
        var layout = new BootLayout(ram, kernel.End);
        (ulong, ulong)? initrdRange = null;
        if (initrd is { Length: > 0 })
        {
            initrdRange = layout.PlaceInitrd(initrd);
            tree.SetInitrd(initrdRange.Value.Item1, initrdRange.Value.Item2);
        }
        else
        {
            tree.ClearInitrd();
        }
        if (bootArgs is not null)
            tree.SetBootArgs(bootArgs);
        var dtb = tree.ToDtb();
        var dtbAddress = layout.PlaceDtb(dtb);
        return new LinuxBootImage(kernel, initrdRange, dtbAddress, dtb, UhiBootState.ForDtb(kernel.EntryPoint, dtbAddress));
    }
}
