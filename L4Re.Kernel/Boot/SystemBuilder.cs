using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;
using Microsoft.Extensions.Logging;

namespace L4Re.Kernel.Boot;

/// <summary>
/// Builds a running system the way Fiasco boots: the kernel with its boot objects, physical RAM,
/// sigma0 (the root pager) with its server thread, and the root task with the initial capabilities at
/// the L4Re boot indices (<see cref="BootCap"/>: task 1, factory 2, thread 3, pager 4, log 5, ICU 6,
/// scheduler 7, IOMMU 8). The root program is an ordinary C# <see cref="NativeMain"/>.
/// </summary>
/// <example>
/// <code>
/// var system = new SystemBuilder()
///     .WithRam(16 &lt;&lt; 20)
///     .WithRootProgram(async ctx =&gt; await ctx.PrintAsync("hello from the root task\n"))
///     .Build();
/// system.Kernel.Run();
/// </code>
/// </example>
public sealed class SystemBuilder
{
    private readonly List<(Dataspace Ds, ulong? Phys, PhysicalMemoryKind Kind)> _memory = [];
    private KernelOptions _options = new();
    private ILoggerFactory? _loggerFactory;
    private NativeMain? _root;
    private int _rootPriority = 1;
    private int _sigma0Priority = 1;

    /// <summary>Uses <paramref name="options"/> for the kernel.</summary>
    public SystemBuilder WithOptions(KernelOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        return this;
    }

    /// <summary>Logs through <paramref name="loggerFactory"/>.</summary>
    public SystemBuilder WithLogging(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>Adds <paramref name="dataspace"/> as physical RAM (at <paramref name="physicalAddress"/>, or after the previous RAM).</summary>
    public SystemBuilder WithRam(Dataspace dataspace, ulong? physicalAddress = null)
    {
        ArgumentNullException.ThrowIfNull(dataspace);
        _memory.Add((dataspace, physicalAddress, PhysicalMemoryKind.Ram));
        return this;
    }

    /// <summary>
    /// Adds <paramref name="dataspace"/> as I/O memory at <paramref name="physicalAddress"/>: a device's register
    /// window (its bytes are the device model's register file). Sigma0 hands it out only for
    /// <see cref="Sigma0Pager.RequestFpageIomem"/> requests, never as RAM.
    /// </summary>
    public SystemBuilder WithIoMemory(Dataspace dataspace, ulong physicalAddress)
    {
        ArgumentNullException.ThrowIfNull(dataspace);
        _memory.Add((dataspace, physicalAddress, PhysicalMemoryKind.IoMemory));
        return this;
    }

    /// <summary>Adds <paramref name="bytes"/> of zeroed physical RAM.</summary>
    public SystemBuilder WithRam(long bytes, ulong? physicalAddress = null) => WithRam(new Dataspace(bytes, "ram"), physicalAddress);

    /// <summary>Runs <paramref name="main"/> as the root task's first thread with <paramref name="priority"/>.</summary>
    public SystemBuilder WithRootProgram(NativeMain main, int priority = 1)
    {
        _root = main ?? throw new ArgumentNullException(nameof(main));
        _rootPriority = priority;
        return this;
    }

    /// <summary>Sets the priority of sigma0's server thread.</summary>
    public SystemBuilder WithSigma0Priority(int priority)
    {
        _sigma0Priority = priority;
        return this;
    }

    /// <summary>Builds and boots the system (nothing runs until <see cref="Microkernel.Run"/>).</summary>
    public BootedSystem Build()
    {
        var k = new Microkernel(_options, _loggerFactory);
        foreach (var (ds, phys, kind) in _memory)
            k.PhysicalMemory.Add(ds, phys, kind);

        // sigma0: its server thread runs in the sigma0 task.
        var sigma0Thread = new L4Thread(k, null, 0) { Name = "sigma0" };
        sigma0Thread.Bind(k.Sigma0);
        var pager = new Sigma0Pager(k);
        sigma0Thread.Serve(pager, _sigma0Priority);

        // The root task and its first thread.
        var root = new L4Task(k, null, 0, TaskKind.Task) { Name = "root" };
        var rootThread = new L4Thread(k, null, 0) { Name = "root" };
        rootThread.Bind(root);
        var gate = new IpcGate(k, null, sigma0Thread, (ulong)root.Id << 2) { Name = "sigma0-gate" };
        root.InsertCapability((ulong)BootCap.Task, root);
        root.InsertCapability((ulong)BootCap.Factory, k.RootFactory);
        root.InsertCapability((ulong)BootCap.Thread, rootThread);
        root.InsertCapability((ulong)BootCap.Pager, gate, CapRights.RW, objectRights: 0);
        root.InsertCapability((ulong)BootCap.Log, k.Log, CapRights.RW);
        root.InsertCapability((ulong)BootCap.Icu, k.Icu, CapRights.RWS);
        root.InsertCapability((ulong)BootCap.Scheduler, k.Scheduler, CapRights.RWS);
        root.InsertCapability((ulong)BootCap.Iommu, k.Iommu, CapRights.RWS);
        rootThread.Pager = CapSel.FromBoot(BootCap.Pager);
        if (_root is not null)
            rootThread.Start(_root, _rootPriority);
        return new BootedSystem(k, root, rootThread, sigma0Thread, pager);
    }
}

/// <summary>A booted system: the kernel, the root task and its thread, and sigma0.</summary>
/// <param name="Kernel">The kernel.</param>
/// <param name="RootTask">The root task (holds the boot capabilities).</param>
/// <param name="RootThread">The root task's first thread.</param>
/// <param name="Sigma0Thread">Sigma0's server thread.</param>
/// <param name="Sigma0">The sigma0 server.</param>
public sealed record BootedSystem(Microkernel Kernel, L4Task RootTask, L4Thread RootThread, L4Thread Sigma0Thread, Sigma0Pager Sigma0);
