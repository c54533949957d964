using FsCheck;
using FsCheck.Fluent;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Tests;

/// <summary>
/// Model-based test of IPC delivery: clients call a server through IPC gates with random timeouts,
/// the server waits, replies or replies-and-waits, threads get canceled and virtual time passes.
/// Properties: every message is delivered at most once; a reply reaches only its caller (the caller
/// gets back exactly the payload it sent, echoed by the server); no thread is left in an impossible state.
/// </summary>
public class IpcModelTests
{
    private const int Clients = 3;

    public enum Kind
    {
        Call,
        Wait,
        Reply,
        ReplyAndWait,
        Cancel,
        Advance,
    }

    public readonly record struct Op(Kind Kind, int Who, int Timeout)
    {
        public override string ToString() => $"{Kind}({Who}, {Timeout})";
    }

    public static class Arbitraries
    {
        private static Gen<Op> OpGen =>
            from kind in Gen.Frequency((5, Gen.Constant(Kind.Call)), (3, Gen.Constant(Kind.Wait)), (2, Gen.Constant(Kind.Reply)),
                (3, Gen.Constant(Kind.ReplyAndWait)), (1, Gen.Constant(Kind.Cancel)), (2, Gen.Constant(Kind.Advance)))
            from who in Gen.Choose(0, Clients)
            from timeout in Gen.Choose(0, 3)
            select new Op(kind, who, timeout);

        public static Arbitrary<Op[]> Ops() => Gen.ArrayOf(OpGen, 150).ToArbitrary();
    }

    private static L4Timeout Timeout(int kind) => kind switch
    {
        0 => L4Timeout.Never,
        1 => L4Timeout.Zero,
        2 => L4Timeout.Relative(50, 0),
        _ => L4Timeout.Relative(400, 1),
    };

    private sealed class World
    {
        public readonly Fixture F = new(new KernelOptions());
        public readonly L4Thread[] Client = new L4Thread[Clients];
        public readonly L4Thread Server;
        public readonly ulong?[] Outstanding = new ulong?[Clients];
        public readonly HashSet<ulong> Received = [];
        public readonly HashSet<ulong> Sent = [];
        public (int Client, ulong Seq)? Holding;
        public ulong NextSeq = 1000;

        public World()
        {
            (_, Server) = F.HostTask("server");
            for (var i = 0; i < Clients; i++)
            {
                var (task, t) = F.HostTask($"c{i}");
                task.InsertCapability(10, F.Root.CreateGate(Server, (ulong)(i + 1) << 4), CapRights.RW);
                Client[i] = t;
            }
        }

        /// <summary>Processes what became complete: a server receive, clients' call results.</summary>
        public string? Settle()
        {
            if (Server.SysDone && Holding is null && Server.LastResult is { HasError: false } sr && sr.Label != 0 && sr.Tag.Words == 2)
            {
                var seq = Server.Utcb.Mr[0];
                var client = (int)(sr.Label >> 4) - 1;
                if (!Sent.Contains(seq))
                    return $"server received unknown payload {seq}";
                if (!Received.Add(seq))
                    return $"payload {seq} delivered twice";
                if (Server.Utcb.Mr[1] != (ulong)client)
                    return $"payload {seq} arrived through the gate of client {client} but was sent by {Server.Utcb.Mr[1]}";
                Holding = (client, seq);
                Server.Utcb.Mr[0] = 0; // consumed
            }
            for (var i = 0; i < Clients; i++)
            {
                var c = Client[i];
                if (Outstanding[i] is not { } seq || !c.SysDone)
                    continue;
                var r = c.LastResult;
                if (!r.HasError)
                {
                    if (c.Utcb.Mr[0] != seq + 1)
                        return $"client {i} got reply {c.Utcb.Mr[0]} for its call {seq}";
                    if (!Received.Contains(seq))
                        return $"client {i} got a reply to {seq} the server never received";
                }
                else if (r.ErrorCode is not (IpcErrorCode.SeTimeout or IpcErrorCode.ReTimeout or IpcErrorCode.SeCanceled or IpcErrorCode.ReCanceled))
                {
                    return $"client {i} call ended with {r.ErrorCode}";
                }
                Outstanding[i] = null;
            }
            return null;
        }

        public MsgTag Echo()
        {
            var (_, seq) = Holding!.Value;
            Server.Utcb.Mr[0] = seq + 1;
            Holding = null;
            return new MsgTag(0, 1, 0, 0);
        }
    }

    private static string? Step(World w, Op op)
    {
        switch (op.Kind)
        {
            case Kind.Call when op.Who < Clients:
            {
                var c = w.Client[op.Who];
                if (!c.SysDone)
                    return null;
                var seq = w.NextSeq++;
                w.Sent.Add(seq);
                c.Utcb.Mr[0] = seq;
                c.Utcb.Mr[1] = (ulong)op.Who;
                w.Outstanding[op.Who] = seq;
                c.Call(CapSel.FromIndex(10), new MsgTag(0, 2, 0, 0), new TimeoutPair(Timeout(op.Timeout), Timeout((op.Timeout + 1) % 4)));
                return null;
            }
            case Kind.Wait:
                if (w.Server.SysDone && w.Holding is null)
                    w.Server.Wait(new TimeoutPair(L4Timeout.Never, Timeout(op.Timeout)));
                return null;
            case Kind.Reply:
                if (w.Server.SysDone && w.Holding is not null)
                {
                    var r = w.Server.Reply(w.Echo(), TimeoutPair.SendZero);
                    if (r.HasError && r.ErrorCode is not (IpcErrorCode.NotExistent or IpcErrorCode.SeTimeout))
                        return $"reply failed with {r.ErrorCode}";
                }
                return null;
            case Kind.ReplyAndWait:
                if (w.Server.SysDone && w.Holding is not null)
                    w.Server.ReplyAndWait(w.Echo(), new TimeoutPair(L4Timeout.Zero, Timeout(op.Timeout)));
                return null;
            case Kind.Cancel:
            {
                var t = op.Who < Clients ? w.Client[op.Who] : w.Server;
                if (!t.SysDone)
                    t.Cancel();
                return null;
            }
            case Kind.Advance:
                w.F.Kernel.RunFor(op.Timeout * 300_000L);
                return null;
            default:
                return null;
        }
    }

    [FsCheck.NUnit.Property(MaxTest = 100, Replay = "(20260131,13)", Arbitrary = [typeof(Arbitraries)])]
    public Property Messages_are_delivered_at_most_once_and_replies_reach_only_the_caller(Op[] ops)
    {
        var w = new World();
        for (var i = 0; i < ops.Length; i++)
        {
            string? err;
            try
            {
                err = Step(w, ops[i]) ?? w.Settle() ?? QuotaAudit.Check(w.F.Kernel);
            }
            catch (Exception e)
            {
                err = $"exception {e}";
            }
            if (err is not null)
                return false.Label($"step {i} {ops[i]}: {err}");
        }
        return true.ToProperty();
    }
}
