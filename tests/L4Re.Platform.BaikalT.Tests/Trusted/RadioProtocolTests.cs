using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Platform.BaikalT.Trusted;
using L4Re.Platform.BaikalT.Wifi;
using L4Re.Regulatory.Gate;

namespace L4Re.Platform.BaikalT.Tests.Trusted;

public class RadioProtocolTests
{
    [Test]
    public void Set_config_carries_every_field_with_signs()
    {
        var u = new Utcb();
        var tag = RadioProtocol.SetConfig(u, new RadioRequest { FrequencyKhz = 5_180_000, WidthMhz = 80, CenterFrequencyKhz = 5_210_000, TxPowerMbm = -300, AntennaGainMbi = 450, Mode = OperatingMode.Mesh, Outdoor = true });
        Assert.That(tag.Label, Is.EqualTo(RadioProtocol.Label));
        Assert.That(tag.Words, Is.EqualTo(RadioProtocol.SetConfigWords));
        Assert.That(u.Mr[..8].ToArray(), Is.EqualTo(new ulong[] { 1, 5_180_000, 80, 5_210_000, unchecked((ulong)-300L), 450, 2, 1 }));
    }

    [Test]
    public void Decision_and_status_replies_round_trip()
    {
        var u = new Utcb();
        var d = new RadioDecision(GateVerdict.Clamp, GateReason.PowerClampedToRegulatoryLimit, 5_180_000, 5_210_000, 80, 2000, 2300, 2300, GateRestrictions.RadarMonitoring, 0);
        var tag = RadioProtocol.WriteDecision(u, d);
        Assert.That(RadioProtocol.TryReadDecision(u, tag, out var back), Is.True);
        Assert.That(back, Is.EqualTo(d));
        var s = new RadioStatus(RadioStatusFlags.Enabled | RadioStatusFlags.RadarSeen, NicMode.AccessPoint, 5_180_000, 5_210_000, 80, 2000, 300, "US", 0, 5_260_000, 123, 3, 1, 4, 99);
        tag = RadioProtocol.WriteStatus(u, s);
        Assert.That(RadioProtocol.TryReadStatus(u, tag, out var st), Is.True);
        Assert.That(st, Is.EqualTo(s));
        Assert.That(RadioProtocol.TryReadStatus(u, MsgTag.FromError(L4Error.Perm), out _), Is.False);
        Assert.That(RadioProtocol.TryReadDecision(u, MsgTag.Result(0, 3), out _), Is.False, "too short");
    }

    [TestCase("US")]
    [TestCase("00")]
    [TestCase("")]
    [TestCase("D")]
    public void Country_codes_pack_into_a_word(string cc) =>
        Assert.That(RadioProtocol.UnpackCountry(RadioProtocol.PackCountry(cc)), Is.EqualTo(cc));
}
