using FsCheck;
using FsCheck.Fluent;
using L4Re.Kernel.Abi;
using L4Re.Platform.BaikalT.Trusted;
using L4Re.Platform.BaikalT.Wifi;
using L4Re.Regulatory.Gate;
using L4Re.Regulatory.Rules;

namespace L4Re.Platform.BaikalT.Tests.Trusted;

/// <summary>Whatever the untrusted side sends, the NIC's registers stay inside the rules of the country.</summary>
public class GateProperties
{
    public enum Kind { Configure, Cac, Country, Off, Time, Radar, Garbage }

    public sealed record Op(Kind Kind, uint Khz, int Width, int PowerMbm, int GainMbi, int Mode, bool Outdoor, uint CenterKhz, long Ns, ulong[] Words);

    private static readonly uint[] Channels =
        [.. ChannelNumbering.StandardChannels(Band.Band2GHz), .. ChannelNumbering.StandardChannels(Band.Band5GHz)];

    public static class Arbitraries
    {
        private static readonly Gen<uint> Khz = Gen.Frequency(
            (8, Gen.Elements(Channels)),
            (1, Gen.Choose(2_300_000, 6_000_000).Select(v => (uint)v)),
            (1, Gen.Elements(0u, 1u, uint.MaxValue)));

        private static readonly Gen<Op> OpGen =
            from kind in Gen.Frequency((10, Gen.Constant(Kind.Configure)), (3, Gen.Constant(Kind.Cac)), (1, Gen.Constant(Kind.Country)),
                (1, Gen.Constant(Kind.Off)), (4, Gen.Constant(Kind.Time)), (2, Gen.Constant(Kind.Radar)), (1, Gen.Constant(Kind.Garbage)))
            from khz in Khz
            from width in Gen.Frequency((9, Gen.Elements(20, 40, 80, 160)), (1, Gen.Choose(-5, 400)))
            from power in Gen.Frequency((8, Gen.Choose(-500, 3500)), (1, Gen.Elements(int.MinValue, int.MaxValue, 10_001)))
            from gain in Gen.Frequency((8, Gen.Choose(-300, 1500)), (1, Gen.Elements(int.MinValue, int.MaxValue)))
            from mode in Gen.Choose(0, 4)
            from outdoor in Gen.Elements(false, false, true)
            from center in Gen.Frequency((6, Gen.Constant(0u)), (1, Gen.Choose(5_000_000, 5_900_000).Select(v => (uint)v)))
            from ns in Gen.Frequency((3, Gen.Choose(0, 3_000).Select(ms => ms * 1_000_000L)), (2, Gen.Choose(59_000, 62_000).Select(ms => ms * 1_000_000L)),
                (1, Gen.Constant(31L * 60 * 1_000_000_000)))
            from words in Gen.ArrayOf(Gen.Frequency((3, Gen.Choose(0, 8).Select(v => (ulong)v)), (1, ArbMap.Default.GeneratorFor<ulong>())), 9)
            select new Op(kind, khz, width, power, gain, mode, outdoor, center, ns, words);

        public static Arbitrary<Op[]> Ops() => Gen.ArrayOf(OpGen, 30).ToArbitrary();
    }

    [FsCheck.NUnit.Property(MaxTest = 120, Replay = "(20260214,7)", Arbitrary = [typeof(Arbitraries)])]
    public Property No_sequence_of_untrusted_requests_puts_the_nic_outside_the_rules(Op[] ops)
    {
        using var router = TestRouters.TrustedOnly();
        var k = router.Kernel;
        var gate = router.Wifi.Gate!;
        var client = router.CreateRadioClient("openwrt");
        var nic = router.Board.Nic;
        var step = 0;
        foreach (var op in ops)
        {
            step++;
            switch (op.Kind)
            {
                case Kind.Configure:
                    var req = new RadioRequest { FrequencyKhz = op.Khz, WidthMhz = op.Width, TxPowerMbm = op.PowerMbm, AntennaGainMbi = op.GainMbi, Mode = (OperatingMode)op.Mode, Outdoor = op.Outdoor, CenterFrequencyKhz = op.CenterKhz };
                    var before = nic.State;
                    var err = client.Configure(req, out var d);
                    if (err == L4Error.Ok && d.Verdict == GateVerdict.Refuse && nic.State != before)
                        return false.Label($"step {step}: a refused request changed the NIC: {before} -> {nic.State}");
                    if (err == L4Error.Ok && d.IsAllowed() && nic.State.TxPowerMbm > Math.Max(req.TxPowerMbm, int.MinValue))
                        return false.Label($"step {step}: the granted power is above the requested one");
                    break;
                case Kind.Cac:
                    client.StartCac(op.Khz, op.Width, op.CenterKhz, out _, out _);
                    break;
                case Kind.Country:
                    client.SetCountry(op.Mode % 2 == 0 ? "DE" : "JP", out _);
                    break;
                case Kind.Off:
                    client.Off();
                    break;
                case Kind.Time:
                    k.Run(k.Now + op.Ns);
                    break;
                case Kind.Radar:
                    nic.RadarPulse(op.Khz);
                    k.Run(k.Now + 1_000_000);
                    break;
                case Kind.Garbage:
                    for (var i = 0; i < op.Words.Length; i++)
                        client.Thread.Utcb.Mr[i] = op.Words[i];
                    var reply = client.Raw(new MsgTag(op.Mode == 0 ? 0x1234 : RadioProtocol.Label, (uint)(op.Words[0] % 10), 0, 0));
                    if (!reply.HasError && reply.Label > 0)
                        return false.Label($"step {step}: a reply label {reply.Label}");
                    break;
            }
            var v = RadioCompliance.Violations(nic.State, gate.Country, gate.Capabilities, gate.Dfs);
            if (v.Count > 0)
                return false.Label($"step {step} ({op.Kind}): {nic.State}: {string.Join("; ", v)}");
            if (router.WifiThread.IsDead)
                return false.Label($"step {step}: the component died: {router.WifiThread.StopReason}");
        }
        return (nic.State.Country == "US").Label("country kept");
    }
}

internal static class DecisionExtensions
{
    public static bool IsAllowed(this RadioDecision d) => d.Verdict != GateVerdict.Refuse;
}
