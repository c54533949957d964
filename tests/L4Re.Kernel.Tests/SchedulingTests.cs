using L4Re.Kernel.Abi;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;
using L4Re.Kernel.Scheduling;

namespace L4Re.Kernel.Tests;

public class SchedulingTests
{
    private sealed class Action2(Action action) : KernelTimer
    {
        protected internal override void Fire() => action();
    }

    [Test]
    public void Same_priority_threads_round_robin_with_their_time_slices()
    {
        var f = new Fixture(new KernelOptions { DefaultQuantumNs = 1_000_000, SyscallCostNs = 0 });
        var log = new List<(string, long)>();
        foreach (var name in new[] { "A", "B" })
        {
            f.ProgramTask(name, async ctx =>
            {
                for (var i = 0; i < 3; i++)
                {
                    await ctx.Compute(1_000_000);
                    log.Add((name, ctx.Now));
                }
            }, priority: 4);
        }
        f.Kernel.Run();
        Assert.That(log, Is.EqualTo(new[]
        {
            // A computes 0-1 ms and is preempted at its slice end before it logs; B computes 1-2 ms; ...
            ("A", 2_000_000L), ("B", 3_000_000L), ("A", 4_000_000L), ("B", 5_000_000L), ("A", 6_000_000L), ("B", 6_000_000L),
        }));
    }

    [Test]
    public void Higher_priority_thread_preempts_in_the_middle_of_a_computation()
    {
        var f = new Fixture(new KernelOptions { SyscallCostNs = 0 });
        long woke = -1, lowDone = -1;
        f.ProgramTask("low", async ctx =>
        {
            await ctx.Compute(5_000_000);
            lowDone = ctx.Now;
        }, priority: 2);
        f.ProgramTask("high", async ctx =>
        {
            await ctx.SleepMicroseconds(1500);
            woke = ctx.Now;
            await ctx.Compute(1_000_000);
        }, priority: 9);
        f.Kernel.Run();
        Assert.That(woke, Is.EqualTo(1_500_000));
        Assert.That(lowDone, Is.EqualTo(6_000_000), "low finished after high's 1 ms ran in between");
    }

    [Test]
    public void Irq_delivery_preempts_a_lower_priority_thread()
    {
        var f = new Fixture(new KernelOptions { SyscallCostNs = 0 });
        var irq = f.Root.CreateIrq();
        f.Kernel.Icu.Bind(7, irq);
        long handled = -1;
        var (dt, driver) = f.ProgramTask("driver", async ctx =>
        {
            var r = await ctx.Wait();
            Assert.That(r.Label, Is.EqualTo(0x70UL));
            handled = ctx.Now;
        }, priority: 20);
        irq.Bind(driver, 0x70);
        f.ProgramTask("busy", async ctx => await ctx.Compute(10_000_000), priority: 1);
        f.Kernel.ArmTimer(new Action2(() => f.Kernel.Icu.Raise(7)), 2_000_000);
        f.Kernel.Run();
        Assert.That(handled, Is.EqualTo(2_000_000));
    }

    [Test]
    public void Call_switches_directly_to_a_lower_priority_server_on_the_callers_time()
    {
        var f = new Fixture(new KernelOptions { Trace = true });
        var order = new List<string>();
        var (_, server) = f.ProgramTask("server", async ctx =>
        {
            var r = await ctx.Wait();
            while (true)
            {
                order.Add("server");
                r = await ctx.ReplyAndWait(new MsgTag(0, 0, 0, 0));
            }
        }, priority: 1);
        var (ct, _) = f.ProgramTask("client", async ctx =>
        {
            await ctx.SleepMicroseconds(10);
            order.Add("call");
            await ctx.Call(CapSel.FromIndex(10), new MsgTag(0, 0, 0, 0));
            order.Add("back");
        }, priority: 9);
        f.ProgramTask("middle", async ctx =>
        {
            await ctx.SleepMicroseconds(10);
            order.Add("middle");
        }, priority: 5);
        ct.InsertCapability(10, f.Root.CreateGate(server, 0));
        f.Kernel.Run();
        Assert.That(order, Is.EqualTo(new[] { "call", "server", "back", "middle" }),
            "the server (priority 1) runs on the caller's time slice before the ready priority-5 thread");
        Assert.That(f.Kernel.Trace.Events.Any(e => e.Kind == TraceKind.Dispatch && e.A == 1 && e.Thread!.Contains("server")), Is.True);
    }

    [Test]
    public void Yield_lets_the_other_thread_of_the_same_priority_run()
    {
        var f = new Fixture();
        var order = new List<string>();
        foreach (var name in new[] { "A", "B" })
        {
            f.ProgramTask(name, async ctx =>
            {
                for (var i = 0; i < 2; i++)
                {
                    order.Add(name + i);
                    await ctx.Yield();
                }
            }, priority: 3);
        }
        f.Kernel.Run();
        Assert.That(order, Is.EqualTo(new[] { "A0", "B0", "A1", "B1" }));
    }

    [Test]
    public void Same_inputs_give_the_same_trace()
    {
        static string RunOnce()
        {
            var f = new Fixture(new KernelOptions { Trace = true, Seed = 7, DefaultQuantumNs = 300_000 });
            var (_, server) = f.ProgramTask("server", async ctx =>
            {
                var r = await ctx.Wait();
                while (true)
                {
                    await ctx.Compute(ctx.Random.Next(1000, 50_000));
                    r = await ctx.ReplyAndWait(new MsgTag(0, 0, 0, 0));
                }
            }, priority: 5);
            for (var i = 0; i < 4; i++)
            {
                var (task, _) = f.ProgramTask($"c{i}", async ctx =>
                {
                    for (var n = 0; n < 5; n++)
                    {
                        await ctx.Compute(ctx.Random.Next(10_000, 400_000));
                        await ctx.Call(CapSel.FromIndex(10), new MsgTag(0, 0, 0, 0));
                    }
                }, priority: 1 + i % 2);
                task.InsertCapability(10, f.Root.CreateGate(server, (ulong)i << 2), CapRights.RW);
            }
            f.Kernel.Run();
            return f.Kernel.Trace.ToString();
        }

        var a = RunOnce();
        var b = RunOnce();
        Assert.That(a, Is.Not.Empty);
        Assert.That(a.Split('\n').Length, Is.GreaterThan(50));
        Assert.That(b, Is.EqualTo(a));
    }
}

public class TimerQueueTests
{
    private sealed class Counter : KernelTimer
    {
        public int Fired;

        protected internal override void Fire() => Fired++;
    }

    [Test]
    public void Cancelled_timers_do_not_fire_and_the_heap_stays_small()
    {
        var k = new Microkernel();
        var timers = Enumerable.Range(0, 10).Select(_ => new Counter()).ToArray();
        for (var round = 0; round < 10_000; round++)
        {
            var t = timers[round % timers.Length];
            k.ArmTimer(t, 1_000_000_000 + round);
            Microkernel.CancelTimer(t);
        }
        Assert.That(k.TimerHeapCount, Is.LessThanOrEqualTo(64 * 4), "cancelled entries are compacted away");
        var survivor = new Counter();
        k.ArmTimer(survivor, 500);
        k.Run();
        Assert.That(timers.Sum(t => t.Fired), Is.Zero);
        Assert.That(survivor.Fired, Is.EqualTo(1));
        Assert.That(k.Now, Is.EqualTo(500));
    }

    [Test]
    public void Same_deadline_timers_fire_in_arming_order_and_rearming_moves_a_timer()
    {
        var k = new Microkernel();
        var order = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var n = i;
            k.ArmTimer(new ActionTimer(() => order.Add(n)), 1000);
        }
        var moved = new ActionTimer(() => order.Add(99));
        k.ArmTimer(moved, 10);
        k.ArmTimer(moved, 2000);
        k.Run();
        Assert.That(order, Is.EqualTo(new[] { 0, 1, 2, 3, 4, 99 }));
    }
}
