using L4Re.Kernel;
using L4Re.Kernel.Scheduling;

namespace L4Re.Platform.BaikalT.Wifi;

/// <summary>
/// The world around the NIC, on the kernel's virtual clock: radar on a frequency (it starts pulsing a given time after
/// the NIC first transmits on a channel that covers it) and Wi-Fi stations (one sends a frame on the access point's
/// channel a given time after the NIC first transmits as an access point). Deterministic: events follow the NIC's state
/// changes and virtual time only.
/// </summary>
public sealed class RadioEnvironment
{
    private readonly Microkernel _kernel;
    private readonly WifiNic _nic;
    private readonly List<Radar> _radars = [];
    private readonly List<Station> _stations = [];
    private readonly List<string> _log = [];

    /// <summary>Creates the environment of <paramref name="nic"/>.</summary>
    public RadioEnvironment(Microkernel kernel, WifiNic nic)
    {
        _kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));
        _nic = nic ?? throw new ArgumentNullException(nameof(nic));
        nic.RadioStateChanged += OnState;
    }

    /// <summary>What happened, with virtual times.</summary>
    public IReadOnlyList<string> Log => _log;

    /// <summary>Radar pulses the NIC detected.</summary>
    public int RadarDetections { get; private set; }

    /// <summary>Frames stations sent that the NIC received.</summary>
    public int StationFramesReceived { get; private set; }

    /// <summary>A radar at <paramref name="khz"/> that starts <paramref name="after"/> the NIC first transmits on a channel covering it.</summary>
    public void AddRadar(uint khz, TimeSpan after) => _radars.Add(new Radar(this, khz, after));

    /// <summary>A station that sends <paramref name="frame"/> <paramref name="after"/> the NIC first transmits as an access point.</summary>
    public void AddStation(byte[] frame, TimeSpan after) => _stations.Add(new Station(this, [.. frame], after));

    private void OnState(NicRadioState s)
    {
        if (!s.Transmitting)
            return;
        foreach (var r in _radars)
        {
            if (!r.Scheduled && s.Covers(r.Khz))
                r.Schedule();
        }
        if (s.Mode == NicMode.AccessPoint)
        {
            foreach (var st in _stations)
            {
                if (!st.Scheduled)
                    st.Schedule();
            }
        }
    }

    private void Note(string what) => _log.Add($"[{_kernel.Now / 1e9,10:0.000} s] {what}");

    private abstract class Event(RadioEnvironment env, TimeSpan after) : KernelTimer
    {
        protected RadioEnvironment Env { get; } = env;

        public bool Scheduled { get; private set; }

        public void Schedule()
        {
            Scheduled = true;
            Env._kernel.ArmTimer(this, Env._kernel.Now + after.Ticks * 100);
        }
    }

    private sealed class Radar(RadioEnvironment env, uint khz, TimeSpan after) : Event(env, after)
    {
        public uint Khz { get; } = khz;

        protected override void Fire()
        {
            var seen = Env._nic.RadarPulse(Khz);
            if (seen)
                Env.RadarDetections++;
            Env.Note($"radar pulses at {Khz / 1000.0:0.###} MHz: {(seen ? "detected by the NIC" : "not detected (radio elsewhere or not listening)")}");
        }
    }

    private sealed class Station(RadioEnvironment env, byte[] frame, TimeSpan after) : Event(env, after)
    {
        protected override void Fire()
        {
            var khz = Env._nic.State.ControlKhz;
            var status = Env._nic.ReceiveFromAir(frame, khz);
            if (status == WifiNicRegisters.DescOk)
                Env.StationFramesReceived++;
            Env.Note($"a station sends a {frame.Length}-byte frame on {khz / 1000.0:0.###} MHz: {(status is null ? "not received" : status == WifiNicRegisters.DescOk ? "received" : $"receive status {status}")}");
        }
    }
}
