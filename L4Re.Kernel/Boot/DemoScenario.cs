using L4Re.Kernel.Abi;
using L4Re.Kernel.Native;

namespace L4Re.Kernel.Boot;

/// <summary>
/// A small scripted system (the one behind <c>l4re kernel demo</c>): the root task creates two tasks
/// through the factory, a server thread behind an IPC gate that is also the client's pager, and a
/// client thread; it gives the server memory it got from sigma0 and starts both threads with
/// <c>ex_regs</c> and <c>run_thread</c>. The client page-faults (the server maps a page), calls the
/// service through the gate and prints the result. Everything goes through capabilities and IPC.
/// </summary>
public static class DemoScenario
{
    /// <summary>Physical address of the demo's RAM.</summary>
    public const ulong RamBase = 0x1000_0000;

    /// <summary>Where the server sees the memory the root gave it.</summary>
    public const ulong ServerMemory = 0x8000_0000;

    /// <summary>Where the client's faulting page lives.</summary>
    public const ulong ClientMemory = 0x4000_0000;

    /// <summary>Entry point of both programs in their tasks.</summary>
    public const ulong Entry = 0x1000;

    private const ulong ServerTask = 20, ServerThread = 21, Gate = 22, ClientTask = 30, ClientThread = 31;

    /// <summary>Builds the booted demo system; run it with <see cref="Microkernel.Run"/>.</summary>
    public static BootedSystem Build(KernelOptions? options = null) =>
        new SystemBuilder()
            .WithOptions(options ?? new KernelOptions { Trace = true })
            .WithRam(256 << 10, RamBase)
            .WithRootProgram(RootAsync, priority: 5)
            .Build();

    private static async Task RootAsync(NativeContext ctx)
    {
        var u = ctx.Utcb;
        var factory = CapSel.FromBoot(BootCap.Factory);
        var self = CapSel.FromBoot(BootCap.Task);
        await ctx.PrintAsync("root: creating tasks, threads and a gate\n");
        await Check(ctx, ctx.Call(factory, L4Sys.FactoryCreateTask(u, CapSel.FromIndex(ServerTask), Fpage.Invalid)));
        await Check(ctx, ctx.Call(factory, L4Sys.FactoryCreate(u, ProtocolLabel.Thread, CapSel.FromIndex(ServerThread))));
        await Check(ctx, ctx.Call(factory, L4Sys.FactoryCreateGate(u, CapSel.FromIndex(Gate), CapSel.FromIndex(ServerThread), 0x10)));
        await Check(ctx, ctx.Call(factory, L4Sys.FactoryCreateTask(u, CapSel.FromIndex(ClientTask), Fpage.Invalid)));
        await Check(ctx, ctx.Call(factory, L4Sys.FactoryCreate(u, ProtocolLabel.Thread, CapSel.FromIndex(ClientThread))));
        var caps = ctx.Task.Caps!;
        caps.Get<Objects.KernelObject>(ServerTask)!.Name = "server";
        caps.Get<Objects.KernelObject>(ServerThread)!.Name = "server";
        caps.Get<Objects.KernelObject>(Gate)!.Name = "service";
        caps.Get<Objects.KernelObject>(ClientTask)!.Name = "client";
        caps.Get<Objects.KernelObject>(ClientThread)!.Name = "client";

        // Capabilities for the new tasks: the log everywhere, the gate as the client's pager (4) and service (10).
        await Check(ctx, ctx.Call(CapSel.FromIndex(ServerTask), L4Sys.TaskMap(u, self, Fpage.Obj(CapSel.FromBoot(BootCap.Log), CapRights.RW), (ulong)BootCap.Log << 12)));
        await Check(ctx, ctx.Call(CapSel.FromIndex(ClientTask), L4Sys.TaskMap(u, self, Fpage.Obj(CapSel.FromBoot(BootCap.Log), CapRights.RW), (ulong)BootCap.Log << 12)));
        await Check(ctx, ctx.Call(CapSel.FromIndex(ClientTask), L4Sys.TaskMap(u, self, Fpage.Obj(CapSel.FromIndex(Gate), CapRights.RW), (ulong)BootCap.Pager << 12)));
        await Check(ctx, ctx.Call(CapSel.FromIndex(ClientTask), L4Sys.TaskMap(u, self, Fpage.Obj(CapSel.FromIndex(Gate), CapRights.RW), 10UL << 12)));

        // Memory for the server: fault 16 KiB in from sigma0 (idempotent), then map it to the server.
        for (ulong p = 0; p < 4; p++)
            await ctx.TouchAsync(RamBase + (p << 12), write: true);
        await Check(ctx, ctx.Call(CapSel.FromIndex(ServerTask), L4Sys.TaskMap(u, self, Fpage.Memory(RamBase, 14, MemRights.RW), ServerMemory)));

        // Load the programs (register the C# entry points) and start the threads.
        ctx.Task.Caps!.Get<Objects.L4Task>(ServerTask)!.RegisterProgram(Entry, ServerAsync);
        ctx.Task.Caps!.Get<Objects.L4Task>(ClientTask)!.RegisterProgram(Entry, ClientAsync);
        await Check(ctx, ctx.Call(CapSel.FromIndex(ServerThread), L4Sys.ThreadControl(u, bindTask: CapSel.FromIndex(ServerTask))));
        await Check(ctx, ctx.Call(CapSel.FromIndex(ClientThread), L4Sys.ThreadControl(u, pager: CapSel.FromBoot(BootCap.Pager), bindTask: CapSel.FromIndex(ClientTask))));
        await Check(ctx, ctx.Call(CapSel.FromIndex(ServerThread), L4Sys.ThreadExRegs(u, Entry, 0)));
        await Check(ctx, ctx.Call(CapSel.FromIndex(ClientThread), L4Sys.ThreadExRegs(u, Entry, 0)));
        await Check(ctx, ctx.Call(CapSel.FromBoot(BootCap.Scheduler), L4Sys.SchedulerRunThread(u, CapSel.FromIndex(ServerThread), 4)));
        await Check(ctx, ctx.Call(CapSel.FromBoot(BootCap.Scheduler), L4Sys.SchedulerRunThread(u, CapSel.FromIndex(ClientThread), 3)));
        await ctx.PrintAsync("root: server and client started\n");
    }

    private static async Task Check(NativeContext ctx, SyscallAwaitable call)
    {
        var r = await call;
        if (r.HasError || r.Tag.Label < 0)
            await ctx.PrintAsync($"root: operation failed: {r}\n");
    }

    private static async Task ServerAsync(NativeContext ctx)
    {
        await ctx.PrintAsync("server: waiting\n");
        var r = await ctx.Wait();
        while (true)
        {
            if (r.HasError)
            {
                r = await ctx.Wait();
                continue;
            }
            MsgTag reply;
            if (r.Tag.Protocol == ProtocolLabel.PageFault)
            {
                // Pager: back the faulting page with our memory (4 pages, wrapped around).
                var pfa = ctx.Utcb.Mr[0] & ~0xfffUL;
                ctx.Utcb.Mr[0] = SndItem.Map(pfa).Raw;
                ctx.Utcb.Mr[1] = Fpage.Memory(ServerMemory + (pfa & 0x3000), 12, MemRights.RW).Raw;
                reply = new MsgTag(0, 0, 1, 0);
            }
            else
            {
                // Service: add mr0 and mr1; the label tells which gate (and rights) the caller used.
                var sum = ctx.Utcb.Mr[0] + ctx.Utcb.Mr[1];
                await ctx.PrintAsync($"server: add request through gate label 0x{r.Label & ~3UL:x} with rights bits {r.Label & 3}\n");
                ctx.Utcb.Mr[0] = sum;
                reply = new MsgTag(0, 1, 0, 0);
            }
            r = await ctx.ReplyAndWait(reply);
        }
    }

    private static async Task ClientAsync(NativeContext ctx)
    {
        await ctx.WriteAsync(ClientMemory, "hello"u8.ToArray());
        var back = new byte[5];
        await ctx.ReadAsync(ClientMemory, back);
        await ctx.PrintAsync($"client: wrote and read back \"{System.Text.Encoding.ASCII.GetString(back)}\" through the pager\n");
        ctx.Utcb.Mr[0] = 2;
        ctx.Utcb.Mr[1] = 40;
        var r = await ctx.Call(CapSel.FromIndex(10), new MsgTag(0, 2, 0, 0));
        await ctx.PrintAsync(r.HasError ? $"client: call failed: {r}\n" : $"client: 2 + 40 = {ctx.Utcb.Mr[0]}\n");
    }
}
