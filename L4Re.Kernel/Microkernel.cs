using L4Re.Kernel.Ipc;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Objects;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace L4Re.Kernel;

/// <summary>
/// One modelled L4Re kernel (a Fiasco instance on one virtual CPU): its kernel objects, physical
/// memory, the boot objects (root factory, sigma0, log, ICU, scheduler, IOMMU), a deterministic virtual
/// clock and the scheduler. There is no global state: every kernel is an independent object graph.
/// Build a running system with <see cref="Boot.SystemBuilder"/>.
/// </summary>
public sealed partial class Microkernel
{
    private readonly Dictionary<long, KernelObject> _objects = [];
    private readonly long _syscallCost;
    private readonly int _maxInline;
    private long _nextId;

    /// <summary>Creates a kernel with its boot objects.</summary>
    /// <param name="options">Configuration; defaults when null.</param>
    /// <param name="loggerFactory">Logging; silent when null.</param>
    public Microkernel(KernelOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        Options = options ?? new KernelOptions();
        _syscallCost = Options.SyscallCostNs;
        _maxInline = Options.MaxInlineDepth;
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Logger = LoggerFactory.CreateLogger<Microkernel>();
        Random = new Random(Options.Seed);
        Trace = new KernelTrace(this, Options.Trace);
        PhysicalMemory = new PhysicalMemory(this);
        RootFactory = new Factory(this, null, Options.RootQuota, 0) { Name = "root" };
        Sigma0 = new L4Task(this, null, 0, TaskKind.Sigma0) { Name = "sigma0" };
        Log = new Vlog(this, Logger) { Name = "log" };
        Icu = new Icu(this, Options.IcuPins) { Name = "icu" };
        Scheduler = new Scheduler(this) { Name = "scheduler" };
        Iommu = new Iommu(this) { Name = "iommu" };
    }

    /// <summary>The configuration.</summary>
    public KernelOptions Options { get; }

    /// <summary>The logger factory the kernel and its programs log through.</summary>
    public ILoggerFactory LoggerFactory { get; }

    internal ILogger Logger { get; }

    /// <summary>The deterministic random source offered to native programs.</summary>
    public Random Random { get; }

    /// <summary>The trace of kernel events (empty unless <see cref="KernelOptions.Trace"/>).</summary>
    public KernelTrace Trace { get; }

    /// <summary>Unmapped mapping nodes kept for the next mappings.</summary>
    internal MappingNodePool MappingNodes { get; } = new();

    /// <summary>Physical memory: dataspaces at physical addresses, owned by sigma0.</summary>
    public PhysicalMemory PhysicalMemory { get; }

    /// <summary>The root factory (boot capability 2 of the root task): all kernel memory.</summary>
    public Factory RootFactory { get; }

    /// <summary>Sigma0: owns all physical memory idempotently and is the root of every mapping tree.</summary>
    public L4Task Sigma0 { get; }

    /// <summary>The kernel log (boot capability 5).</summary>
    public Vlog Log { get; }

    /// <summary>The interrupt controller (boot capability 6).</summary>
    public Icu Icu { get; }

    /// <summary>The scheduler object (boot capability 7).</summary>
    public Scheduler Scheduler { get; }

    /// <summary>The IOMMU (boot capability 8).</summary>
    public Iommu Iommu { get; }

    /// <summary>A UTCB that swallows the results of invocations without a receive phase.</summary>
    internal Utcb DummyUtcb { get; } = new();

    /// <summary>All live kernel objects in creation order.</summary>
    public IEnumerable<KernelObject> Objects => _objects.Values.OrderBy(o => o.Id);

    /// <summary>All live tasks (including sigma0) in creation order.</summary>
    public IEnumerable<L4Task> Tasks => Objects.OfType<L4Task>();

    internal long NextObjectId() => ++_nextId;

    internal void OnObjectCreated(KernelObject o) => _objects[o.Id] = o;

    internal void OnObjectDeleted(KernelObject o) => _objects.Remove(o.Id);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Thread} stopped: {Reason}")]
    private static partial void LogStopped(ILogger logger, L4Thread thread, string reason);

    internal void LogThreadStopped(L4Thread t, string reason) => LogStopped(Logger, t, reason);
}
