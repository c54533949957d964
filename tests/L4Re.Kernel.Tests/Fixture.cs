using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Tests;

/// <summary>A kernel with helpers to build tasks and threads for tests.</summary>
internal sealed class Fixture
{
    public Fixture(KernelOptions? options = null) => Kernel = new Microkernel(options ?? new KernelOptions());

    public Microkernel Kernel { get; }

    public Factory Root => Kernel.RootFactory;

    /// <summary>A task with a host-driven thread; the task holds its own cap at 1, the root factory at 2, the thread at 3.</summary>
    public (L4Task Task, L4Thread Thread) HostTask(string name, int priority = 1)
    {
        var task = Root.CreateTask(name);
        var thread = Root.CreateThread(name);
        thread.Bind(task);
        task.InsertCapability((ulong)BootCap.Task, task);
        task.InsertCapability((ulong)BootCap.Factory, Root);
        task.InsertCapability((ulong)BootCap.Thread, thread);
        thread.Drive(priority);
        return (task, thread);
    }

    /// <summary>A task whose thread serves <paramref name="server"/> synchronously.</summary>
    public (L4Task Task, L4Thread Thread) ServerTask(string name, IIpcServer server, int priority = 1)
    {
        var task = Root.CreateTask(name);
        var thread = Root.CreateThread(name);
        thread.Bind(task);
        task.InsertCapability((ulong)BootCap.Task, task);
        thread.Serve(server, priority);
        return (task, thread);
    }

    /// <summary>A task whose thread runs a native program.</summary>
    public (L4Task Task, L4Thread Thread) ProgramTask(string name, NativeMain main, int priority = 1)
    {
        var task = Root.CreateTask(name);
        var thread = Root.CreateThread(name);
        thread.Bind(task);
        task.InsertCapability((ulong)BootCap.Task, task);
        task.InsertCapability((ulong)BootCap.Factory, Root);
        task.InsertCapability((ulong)BootCap.Thread, thread);
        task.InsertCapability((ulong)BootCap.Log, Kernel.Log, CapRights.RW);
        thread.Start(main, priority);
        return (task, thread);
    }
}

/// <summary>A synchronous server that adds 1 to mr0 and echoes the label in mr1.</summary>
internal sealed class IncrementServer : IIpcServer
{
    public int Calls;

    public bool Dispatch(in IpcRequest request, Utcb utcb, out MsgTag reply)
    {
        Calls++;
        utcb.Mr[0]++;
        utcb.Mr[1] = request.Label;
        reply = new MsgTag(0, 2, 0, 0);
        return true;
    }
}
