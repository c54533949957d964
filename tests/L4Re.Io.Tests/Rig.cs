using L4Re.Io.Client;
using L4Re.Io.Dma;
using L4Re.Kernel;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Objects;

namespace L4Re.Io.Tests;

/// <summary>A kernel with RAM, io on it with the Baikal-T1 router configuration, and client tasks with host-driven threads.</summary>
internal sealed class Rig
{
    public const int Page = Dataspace.PageSize;

    /// <summary>The slot every client receives its vbus capability in.</summary>
    public static readonly CapSel VbusSlot = CapSel.FromIndex(0x10);

    /// <summary>The slot of a client's capability to its own task.</summary>
    public static readonly CapSel TaskSlot = CapSel.FromIndex(1);

    public Rig(DmaMode mode = DmaMode.Iommu, string? config = null, CapturingLoggerFactory? logs = null, KernelOptions? options = null)
    {
        Kernel = new Microkernel(options ?? new KernelOptions { IcuPins = 2048 }, logs);
        Ram = new Dataspace(64 * Page, "ram");
        Kernel.PhysicalMemory.Add(Ram, 0);
        Io = new IoServer(Kernel, mode, logs);
        if (config is null)
            Io.Load(TestConfigs.Baikal);
        else
            Io.LoadText(config, "rig.cfg");
    }

    public Microkernel Kernel { get; }

    public Dataspace Ram { get; }

    public IoServer Io { get; }

    public Factory Factory => Kernel.RootFactory;

    /// <summary>A client task with a host-driven thread that holds vbus <paramref name="vbus"/> in <see cref="VbusSlot"/>.</summary>
    public Client Connect(string vbus, string? name = null)
    {
        var c = NewTask(name ?? vbus + "-client");
        Io.Connect(vbus, c.Task, VbusSlot);
        return c;
    }

    /// <summary>A task with a host-driven thread and a capability to itself, holding nothing else.</summary>
    public Client NewTask(string name)
    {
        var task = Factory.CreateTask(name);
        var thread = Factory.CreateThread(name);
        thread.Bind(task);
        thread.Drive();
        task.InsertCapability(TaskSlot.Index, task);
        return new Client(task, thread, new VbusClient(thread, VbusSlot));
    }
}

/// <summary>A client: its task, its host-driven thread and the libvbus calls through its vbus capability.</summary>
internal sealed record Client(L4Task Task, L4Thread Thread, VbusClient Vbus)
{
    private ulong _nextSlot = 0x100;

    /// <summary>Puts a capability to <paramref name="obj"/> into a fresh slot of the client's task.</summary>
    public CapSel Hold(KernelObject obj, CapRights rights = CapRights.RWSD)
    {
        var slot = _nextSlot++;
        Task.InsertCapability(slot, obj, rights);
        return CapSel.FromIndex(slot);
    }
}
