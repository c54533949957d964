using L4Re.Uvmm.Loaders;
using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vmm;

namespace L4Re.Platform.BaikalT.Vm;

/// <summary>What runs in the OpenWrt VM: it tells uvmm's <see cref="VmBuilder"/> what to load and how the vCPU starts.</summary>
public interface IGuestImage
{
    /// <summary>A short description for reports.</summary>
    string Description { get; }

    /// <summary>The <c>compatible</c> of the VM's CPU node this image needs (<see cref="OpenWrtDeviceTree.Create"/>).</summary>
    string CpuCompatible { get; }

    /// <summary>Adds the image to <paramref name="builder"/> (a kernel, or a loader for anything else).</summary>
    /// <param name="builder">The VM's builder.</param>
    void Configure(VmBuilder builder);
}

/// <summary>A bare-metal program assembled for kseg0 (the stand-in OpenWrt of the sample).</summary>
/// <param name="program">The program; loaded at its base address's physical address, started at its base.</param>
/// <param name="description">For reports.</param>
public sealed class BareMetalGuestImage(AssembledProgram program, string description = "bare-metal MIPS32r2 program") : IGuestImage
{
    /// <inheritdoc />
    public string Description { get; } = description;

    /// <inheritdoc />
    public string CpuCompatible => OpenWrtDeviceTree.P5600Compatible;

    /// <summary>The program.</summary>
    public AssembledProgram Program { get; } = program ?? throw new ArgumentNullException(nameof(program));

    /// <inheritdoc />
    public void Configure(VmBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithLoader((ram, _) =>
        {
            ram.Write(Program.BaseAddress & 0x1fff_ffff, Program.Bytes);
            // Started like a UHI boot: kernel mode, Status.ERL and BEV cleared (VmBuilder), interrupts off; no arguments.
            return new UhiBootState(Program.BaseAddress, 0, 0, 0, 0, 0);
        });
    }
}

/// <summary>
/// An unmodified MIPS Linux kernel (ELF, e.g. Debian's <c>vmlinuz-*-mips32r2el</c>) with an optional initramfs, booted
/// the UHI way with the VM's device tree by uvmm's loader (<see cref="VmBuilder.WithKernel"/>, <see cref="LinuxBoot"/>).
/// </summary>
/// <param name="kernelPath">The kernel ELF.</param>
/// <param name="initrd">The initramfs, or null.</param>
/// <param name="bootArgs">The command line, or null for <see cref="OpenWrtDeviceTree.BootArgs"/>.</param>
public sealed class LinuxGuestImage(string kernelPath, byte[]? initrd = null, string? bootArgs = null) : IGuestImage
{
    /// <inheritdoc />
    public string Description => $"Linux {Path.GetFileName(kernelPath)}{(initrd is null ? "" : $" + initramfs ({initrd.Length} bytes)")}";

    /// <summary>
    /// A proAptiv (MIPS32r2 PRId): Debian's generic mipsel kernel is built for MIPS32r2 and has no MIPS32r5 (P5600) CPU
    /// support, so the VM announces the r2 core of L4Re.Uvmm's default platform (<see cref="MipsPlatformOptions.CpuCompatible"/>). An OpenWrt image built
    /// for the Baikal-T1 would run with the P5600's.
    /// </summary>
    public string CpuCompatible => "mti,proaptiv";

    /// <inheritdoc />
    public void Configure(VmBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithKernel(kernelPath).WithInitrd(initrd).WithBootArgs(bootArgs ?? OpenWrtDeviceTree.BootArgs);
    }
}
